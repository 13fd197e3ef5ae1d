package subscriberapi

import (
	"compress/gzip"
	"io"
	"iter"
	"net/http"
	"strings"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/rendercache"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// Guide window: catch-up needs the past (the longest DVR window players use
// is a week), and players look up to two weeks ahead.
const (
	guidePast   = 7 * 24 * time.Hour
	guideFuture = 14 * 24 * time.Hour
)

func (a *API) handleXMLTV(c *gin.Context) {
	file := c.Param("file")
	token, gz := strings.CutSuffix(file, ".xml.gz")
	if !gz {
		var ok bool
		if token, ok = strings.CutSuffix(file, ".xml"); !ok {
			c.String(http.StatusNotFound, "unknown guide\n")
			return
		}
	}
	sub, ok := a.subscriber(c, token)
	if !ok {
		return
	}
	lineup, ok := a.lineup(c, sub)
	if !ok {
		return
	}
	links := subscriberview.LinksFor(c.Request, a.deps.ExternalURL, a.deps.StreamBase).For(sub)
	a.writeXMLTV(c, links.PlaylistChannels(lineup, sub.Token, playlist.FormatHLS), gz)
}

// writeXMLTV streams the guide of channels (see ServeXMLTV).
func (a *API) writeXMLTV(c *gin.Context, channels []playlist.Channel, gz bool) {
	ids := make([]string, len(channels))
	for i, ch := range channels {
		ids[i] = playlist.TVGID(ch)
	}
	from, to := GuideWindow(a.deps.Now())
	if err := ServeXMLTV(c, channels, a.deps.Guide.Programmes(c, ids, from, to), gz); err != nil {
		a.deps.Logger.WarnContext(c, "write xmltv", "error", err)
	}
}

// GuideWindow is the span of programmes a guide served at now carries.
func GuideWindow(now time.Time) (from, to time.Time) {
	return now.Add(-guidePast), now.Add(guideFuture)
}

// ServeXMLTV streams an XMLTV guide of channels and programmes: as a .gz
// file when gz, else gzip-encoded on the wire when the client accepts it,
// else plain. Nothing is buffered whole; an error after the first byte can
// only cut the body. Every guide Canale serves goes through it.
func ServeXMLTV(c *gin.Context, channels []playlist.Channel, programmes iter.Seq2[playlist.Programme, error], gz bool) error {
	h := c.Writer.Header()
	h.Set("Cache-Control", "private, max-age=300")
	var w io.Writer = c.Writer
	switch {
	case gz:
		h.Set("Content-Type", "application/gzip")
	case rendercache.AcceptsGzip(c.Request):
		h.Set("Content-Type", "application/xml; charset=utf-8")
		h.Set("Content-Encoding", "gzip")
		h.Set("Vary", "Accept-Encoding")
	default:
		h.Set("Content-Type", "application/xml; charset=utf-8")
	}
	c.Status(http.StatusOK)
	if gz || h.Get("Content-Encoding") == "gzip" {
		zw, _ := gzip.NewWriterLevel(c.Writer, gzip.BestSpeed)
		defer zw.Close()
		w = zw
	}
	return playlist.WriteXMLTV(w, channels, programmes)
}

// WriteXMLTV lets other surfaces (the Xtream xmltv.php) serve the same guide.
func (a *API) WriteXMLTV(c *gin.Context, lineup subscriberview.Lineup, token string) {
	links := subscriberview.LinksFor(c.Request, a.deps.ExternalURL, a.deps.StreamBase)
	a.writeXMLTV(c, links.PlaylistChannels(lineup, token, playlist.FormatHLS), false)
}
