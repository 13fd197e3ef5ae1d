package hdhomerun

import (
	"iter"
	"strings"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberapi"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// handleXMLTV serves the tuner's guide with channel ids equal to GuideNumber
// (spec §4.1): media servers pair guide channels with tuner channels by id,
// number or name, and the number is the one that always matches. Each
// channel carries its title and its number as display names.
func (s *Server) handleXMLTV(c *gin.Context) {
	d, chs, lineup, ok := s.resolveLineup(c)
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
	from, to := subscriberapi.GuideWindow(s.deps.Now())
	programmes := renumber(s.deps.Guide.Programmes(c, ids, from, to), numbersOf)
	if err := subscriberapi.ServeXMLTV(c, channels, programmes, strings.HasSuffix(c.Request.URL.Path, ".gz")); err != nil {
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
