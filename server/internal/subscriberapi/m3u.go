package subscriberapi

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"canale/server/internal/playlist"
	"canale/server/internal/rendercache"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// ContentTypeM3U is what players and browsers expect for an M3U playlist.
const ContentTypeM3U = "audio/x-mpegurl; charset=utf-8"

func (a *API) handleM3UHLS(c *gin.Context) {
	token, ok := strings.CutSuffix(c.Param("token"), ".m3u8")
	if !ok {
		c.String(http.StatusNotFound, "unknown playlist\n")
		return
	}
	a.serveM3U(c, token, playlist.FormatHLS)
}

func (a *API) handleM3UTS(c *gin.Context) { a.serveM3U(c, c.Param("token"), playlist.FormatTS) }

func (a *API) serveM3U(c *gin.Context, token string, f playlist.Format) {
	player, ok := ParsePlayer(c.Query("player"))
	if !ok {
		c.String(http.StatusBadRequest, "player must be kodi, generic or vlc\n")
		return
	}
	sub, ok := a.subscriber(c, token)
	if !ok {
		return
	}
	links := subscriberview.LinksFor(c.Request, a.deps.ExternalURL, a.deps.StreamBase).For(sub)
	gen, cacheable := a.generation()
	key := cacheKey("m3u", sub, links, strconv.Itoa(int(f)), strconv.Itoa(int(player)))
	if cacheable {
		if e, ok := a.cache.Get(gen, key); ok {
			e.Serve(c.Writer, c.Request, ContentTypeM3U)
			return
		}
		if rendercache.NotModified(c.Request, rendercache.ETag(key)) {
			c.Header("ETag", rendercache.ETag(key))
			c.Status(http.StatusNotModified)
			return
		}
	}
	lineup, ok := a.lineup(c, sub)
	if !ok {
		return
	}
	var buf bytes.Buffer
	buf.Grow(len(lineup.Channels) * 320)
	header := playlist.Playlist{EPGURL: EPGURL(links, sub.Token)}
	err := playlist.WriteM3U(&buf, header, links.PlaylistChannels(lineup, sub.Token, f),
		playlist.M3UOptions{Format: f, Player: player})
	if err != nil {
		a.deps.Logger.ErrorContext(c, "write m3u", "error", err)
		c.String(http.StatusInternalServerError, "could not write the playlist\n")
		return
	}
	if !cacheable {
		ServeBytes(c, ContentTypeM3U, buf.Bytes())
		return
	}
	a.cache.Put(gen, key, buf.Bytes()).Serve(c.Writer, c.Request, ContentTypeM3U)
}

// ParsePlayer maps ?player= to a playlist variant; "" is Kodi, whose rules
// are the strictest, so its playlist suits most players.
func ParsePlayer(s string) (playlist.Player, bool) {
	switch strings.ToLower(s) {
	case "", "kodi":
		return playlist.PlayerKodi, true
	case "generic", "tivimate":
		return playlist.PlayerGeneric, true
	case "vlc":
		return playlist.PlayerVLC, true
	}
	return 0, false
}

// M3UURL returns the subscriber's playlist URL for format f.
func M3UURL(l subscriberview.Links, token string, f playlist.Format) string {
	if f == playlist.FormatTS {
		return l.Base + "/playlist/" + token + "/ts.m3u"
	}
	return l.Base + "/playlist/" + token + ".m3u8"
}

// EPGURL returns the subscriber's gzipped XMLTV URL.
func EPGURL(l subscriberview.Links, token string) string {
	return l.Base + "/epg/" + token + ".xml.gz"
}
