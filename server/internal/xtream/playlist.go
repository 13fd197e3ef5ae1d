package xtream

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"canale/server/internal/playlist"

	"github.com/gin-gonic/gin"
)

// getPHPKinds says which kinds of entry a get.php download holds: XC_VM's
// key=live,movie,series filter (radio_streams and unknown names select
// nothing, as Canale has no radio); no key means all of them.
type getPHPKinds struct{ live, movie, series bool }

func parseKinds(key string) getPHPKinds {
	if key == "" {
		return getPHPKinds{live: true, movie: true, series: true}
	}
	var k getPHPKinds
	for _, v := range strings.Split(key, ",") {
		switch strings.TrimSpace(v) {
		case "live":
			k.live = true
		case "movie":
			k.movie = true
		case "series":
			k.series = true
		}
	}
	return k
}

// getPHPRequest is what a get.php download is made of: the session, the
// credentials as the app sent them (they go back into every URL, which is
// how XC apps read them out again) and the transport of live entries.
type getPHPRequest struct {
	s          session
	user, pass string
	ext        string // "ts" or "m3u8"
	format     playlist.Format
	kinds      getPHPKinds
}

// streamURL is an XC path URL: /live/U/P/1.ts, /movie/U/P/1.mp4, …
func (r getPHPRequest) streamURL(kind string, id int64, ext string) string {
	return r.s.links.Base + "/" + kind + "/" + pathSegment(r.user) + "/" + pathSegment(r.pass) + "/" +
		strconv.FormatInt(id, 10) + "." + ext
}

// handleGetPHP serves get.php. type=m3u gives plain entries; m3u_plus (the
// default) adds the tvg- attributes and group-title XC's template adds;
// enigma16, gigablue and dreambox (with its aliases) give an Enigma2
// bouquet (bouquet.go), enigma22_script and enigma216_script the script
// that installs it (e2script.go). output=m3u8|hls picks HLS for live entries, else
// MPEG-TS; movies keep their container. Live URLs are the XC /live/ paths.
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
	if s.sub.DeviceOnly != 0 { // XC: only ordinary lines download playlists
		refuseDevice(c)
		return
	}
	r := getPHPRequest{s: s, user: user, pass: pass, ext: "ts", format: playlist.FormatTS,
		kinds: parseKinds(param(c, "key"))}
	if o := param(c, "output"); o == "m3u8" || o == "hls" {
		r.ext, r.format = "m3u8", playlist.FormatHLS
	}
	if dev, ok := bouquetDevices[param(c, "type")]; ok {
		a.writeBouquet(c, r, dev)
		return
	}
	if dev, ok := scriptDevices[param(c, "type")]; ok {
		a.writeE2Script(c, r, dev)
		return
	}
	plain := param(c, "type") == "m3u"
	player := playlist.PlayerGeneric
	if plain {
		player = playlist.PlayerVLC
	}
	var chs []playlist.Channel
	if r.kinds.live {
		chs = s.links.PlaylistChannels(s.lineup, s.sub.Token, r.format)
		for i := range chs {
			chs[i].StreamURL = r.streamURL("live", chs[i].ID, r.ext)
			chs[i].DVRDays, chs[i].CatchupSource = 0, "" // XC apps do catch-up through the API
		}
	}
	header := playlist.Playlist{EPGURL: s.links.Base + "/xmltv.php?username=" + url.QueryEscape(user) +
		"&password=" + url.QueryEscape(pass)}
	var buf bytes.Buffer
	if err := playlist.WriteM3U(&buf, header, chs, playlist.M3UOptions{Format: r.format, Player: player}); err != nil {
		a.deps.Logger.ErrorContext(c, "write get.php", "error", err)
		c.String(http.StatusInternalServerError, "could not write the playlist\n")
		return
	}
	for _, e := range r.onDemandEntries() {
		writeM3UEntry(&buf, e, plain)
	}
	c.Header("Content-Disposition", `attachment; filename="playlist.m3u"`)
	c.Data(http.StatusOK, "audio/x-mpegurl; charset=utf-8", buf.Bytes())
}

// onDemandEntry is a movie or an episode in a get.php download.
type onDemandEntry struct {
	name  string // what the M3U shows after the comma, as XC's {CHANNEL_NAME}
	year  int    // a movie's; bouquets name movies "Title (Year)"
	logo  string
	group string // the category name
	url   string
}

// onDemandEntries lists the movies (key=movie) and episodes (key=series) of
// a download, in line-up order, movies first as XC writes them.
func (r getPHPRequest) onDemandEntries() []onDemandEntry {
	var out []onDemandEntry
	if r.kinds.movie {
		for _, v := range r.s.lineup.VOD {
			out = append(out, onDemandEntry{name: v.Title, year: v.Year, logo: v.PosterURL,
				group: r.s.lineup.CategoryName(v.CategoryID), url: r.streamURL("movie", v.ID, container(v))})
		}
	}
	if r.kinds.series {
		out = append(out, r.episodeEntries()...)
	}
	return out
}

// episodeEntries lists every episode the subscriber's packages hold, in
// series, season and episode order, named "<Series> S01E02" with the
// episode's /series/ URL, as XC's get.php lists them (m3u, m3u_plus and the
// Enigma2 bouquets alike).
func (r getPHPRequest) episodeEntries() []onDemandEntry {
	var out []onDemandEntry
	for e := range r.s.lineup.Episodes() {
		logo := e.ImageURL
		if logo == "" {
			logo = e.Series.CoverURL
		}
		out = append(out, onDemandEntry{
			name:  fmt.Sprintf("%s S%02dE%02d", e.Series.Title, e.Season.SeasonNumber, e.EpisodeNum),
			logo:  logo,
			group: r.s.lineup.CategoryName(e.Series.CategoryID),
			url:   r.streamURL("series", e.ID, episodeContainer(e)),
		})
	}
	return out
}

// writeM3UEntry appends a movie or episode the way XC's m3u_plus template
// lists it (empty tvg-id: it has no guide), or plain for type=m3u. Values
// are sanitised as the live entries are: no quotes or commas in names, and
// a logo only when it is a clean http(s) URL.
func writeM3UEntry(buf *bytes.Buffer, e onDemandEntry, plain bool) {
	name := playlist.DisplayName(playlist.Channel{Title: e.name})
	buf.WriteString("#EXTINF:-1")
	if !plain {
		attr := func(k, v string) { buf.WriteString(" " + k + `="` + v + `"`) }
		attr("tvg-id", "")
		attr("tvg-name", name)
		if cleanLogo(e.logo) {
			attr("tvg-logo", e.logo)
		}
		if g := playlist.DisplayName(playlist.Channel{Title: e.group}); e.group != "" && g != "" {
			attr("group-title", g)
		}
	}
	buf.WriteString("," + name + "\n" + e.url + "\n")
}

// cleanLogo says whether u can go in an attribute as it is.
func cleanLogo(u string) bool {
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return false
	}
	return !strings.ContainsFunc(u, func(r rune) bool { return r <= ' ' || r == '"' || r == 0x7f })
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
