package xtream

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"canale/server/internal/playlist"

	"github.com/gin-gonic/gin"
)

// handleGetPHP serves get.php: an M3U whose URLs are the XC /live/ paths, so
// apps that read credentials back out of the URLs keep working. type=m3u
// gives plain entries; m3u_plus (the default) adds tvg-chno, as XC's
// template adds more attributes. output=m3u8|hls picks HLS, else MPEG-TS.
func (a *API) handleGetPHP(c *gin.Context) {
	user, pass := credentials(c)
	s, err := a.login(c, user, pass)
	if err != nil {
		a.failText(c, err)
		return
	}
	if !s.active {
		a.refuseInactive(c, s)
		return
	}
	ext, f := "ts", playlist.FormatTS
	if o := param(c, "output"); o == "m3u8" || o == "hls" {
		ext, f = "m3u8", playlist.FormatHLS
	}
	player := playlist.PlayerGeneric
	if param(c, "type") == "m3u" {
		player = playlist.PlayerVLC
	}
	if key := param(c, "key"); key != "" && key != "live" {
		c.Data(http.StatusOK, "audio/x-mpegurl; charset=utf-8", []byte("#EXTM3U\n")) // no series or radio; VOD not listed
		return
	}
	chs := s.links.PlaylistChannels(s.lineup, s.sub.Token, f)
	prefix := s.links.Base + "/live/" + pathSegment(user) + "/" + pathSegment(pass) + "/"
	for i := range chs {
		chs[i].StreamURL = prefix + strconv.FormatInt(chs[i].ID, 10) + "." + ext
		chs[i].DVRDays, chs[i].CatchupSource = 0, "" // XC apps do catch-up through the API
	}
	header := playlist.Playlist{EPGURL: s.links.Base + "/xmltv.php?username=" + url.QueryEscape(user) +
		"&password=" + url.QueryEscape(pass)}
	var buf bytes.Buffer
	if err := playlist.WriteM3U(&buf, header, chs, playlist.M3UOptions{Format: f, Player: player}); err != nil {
		a.deps.Logger.ErrorContext(c, "write get.php", "error", err)
		c.String(http.StatusInternalServerError, "could not write the playlist\n")
		return
	}
	c.Header("Content-Disposition", `attachment; filename="playlist.m3u"`)
	c.Data(http.StatusOK, "audio/x-mpegurl; charset=utf-8", buf.Bytes())
}

// handleXMLTV serves xmltv.php: the guide of the subscriber's channels, with
// the same channel ids as get_live_streams' epg_channel_id.
func (a *API) handleXMLTV(c *gin.Context) {
	user, pass := credentials(c)
	s, err := a.login(c, user, pass)
	if err != nil {
		a.failText(c, err)
		return
	}
	if !s.active {
		a.refuseInactive(c, s)
		return
	}
	chs := s.links.PlaylistChannels(s.lineup, s.sub.Token, playlist.FormatHLS)
	ids := make([]string, len(chs))
	for i, ch := range chs {
		ids[i] = playlist.TVGID(ch)
	}
	now := a.deps.Now()
	c.Header("Content-Type", "application/xml; charset=utf-8")
	c.Status(http.StatusOK)
	progs := a.deps.Guide.Programmes(c, ids, now.AddDate(0, 0, -7), now.AddDate(0, 0, 14))
	if err := playlist.WriteXMLTV(c.Writer, chs, progs); err != nil {
		a.deps.Logger.WarnContext(c, "write xmltv.php", "error", err)
	}
}
