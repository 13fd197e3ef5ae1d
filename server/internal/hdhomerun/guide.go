package hdhomerun

import (
	"compress/gzip"
	"io"
	"iter"
	"net/http"
	"strings"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// Guide window, as the subscriber's own XMLTV: a week back, two ahead.
const (
	guidePast   = 7 * 24 * time.Hour
	guideFuture = 14 * 24 * time.Hour
)

// handleXMLTV serves the tuner's guide with channel ids equal to GuideNumber
// (spec §4.1): media servers pair guide channels with tuner channels by id,
// number or name, and the number is the one that always matches. Each
// channel carries its title and its number as display names.
func (s *Server) handleXMLTV(c *gin.Context) {
	d, ok := s.resolve(c)
	if !ok {
		return
	}
	chs, lineup, ok := s.channels(c, d)
	if !ok {
		return
	}
	var channels []playlist.Channel
	numbersOf := make(map[string][]string) // the guide's channel id -> GuideNumbers showing it
	var ids []string
	for _, ch := range chs {
		src := playlist.TVGID(playlist.Channel{ID: ch.ID, EPGID: ch.EPGChannelID})
		if _, seen := numbersOf[src]; !seen {
			ids = append(ids, src)
		}
		numbersOf[src] = append(numbersOf[src], ch.number)
		logo := subscriberview.Links{Base: d.site}.Logo(ch.Channel)
		channels = append(channels,
			playlist.Channel{ID: ch.ID, EPGID: ch.number, Title: title(ch.Channel), LogoURL: logo,
				Category: lineup.CategoryName(ch.CategoryID)},
			playlist.Channel{ID: ch.ID, EPGID: ch.number, Title: ch.number})
	}
	now := s.deps.Now()
	programmes := renumber(s.deps.Guide.Programmes(c, ids, now.Add(-guidePast), now.Add(guideFuture)), numbersOf)
	h := c.Writer.Header()
	h.Set("Cache-Control", "private, max-age=300")
	var w io.Writer = c.Writer
	if strings.HasSuffix(c.Request.URL.Path, ".gz") {
		h.Set("Content-Type", "application/gzip")
		zw, _ := gzip.NewWriterLevel(c.Writer, gzip.BestSpeed)
		defer zw.Close()
		w = zw
	} else {
		h.Set("Content-Type", "application/xml; charset=utf-8")
	}
	c.Status(http.StatusOK)
	if err := playlist.WriteXMLTV(w, channels, programmes); err != nil {
		s.deps.Logger.WarnContext(c, "write tuner xmltv", "error", err)
	}
}

// renumber yields each programme once per GuideNumber that shows its
// channel, with the number as its channel id.
func renumber(in iter.Seq2[playlist.Programme, error], numbersOf map[string][]string) iter.Seq2[playlist.Programme, error] {
	return func(yield func(playlist.Programme, error) bool) {
		for p, err := range in {
			if err != nil {
				yield(p, err)
				return
			}
			for _, n := range numbersOf[p.Channel] {
				p.Channel = n
				if !yield(p, nil) {
					return
				}
			}
		}
	}
}
