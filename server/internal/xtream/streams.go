package xtream

import (
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// streamSession authenticates a stream request whose credentials are in the
// path, and answers the refusal itself when it fails.
func (a *API) streamSession(c *gin.Context) (session, bool) {
	s, err := a.login(c, c.Param("user"), c.Param("pass"))
	if err != nil {
		a.failText(c, err)
		return s, false
	}
	return s, a.mayPlay(c, s)
}

// mayPlay answers the refusal itself when the signed-in line may not play
// through the XC stream paths: an inactive account, or a MAG line, which
// XC plays through its portal only.
func (a *API) mayPlay(c *gin.Context, s session) bool {
	if !s.active {
		a.refuseInactive(c, s)
		return false
	}
	if s.sub.DeviceOnly.Has(api.DeviceOnlyMAG) {
		refuseDevice(c)
		return false
	}
	return true
}

// refuseDevice answers a device-only line on a surface XC keeps from it,
// with XC_VM's reason code (xtream.md §1.2, enigma2.md §2.1). XC itself
// answers an HTML 404 page; Canale refuses as it refuses an inactive
// account, 403 with the reason, so a support engineer can read it.
func refuseDevice(c *gin.Context) {
	c.String(http.StatusForbidden, "DEVICE_NOT_ALLOWED\n")
}

// splitFile splits "123.ts" into 123 and "ts"; no extension means "ts".
func splitFile(file string) (int64, string, bool) {
	ext := strings.TrimPrefix(path.Ext(file), ".")
	id, err := strconv.ParseInt(strings.TrimSuffix(file, path.Ext(file)), 10, 64)
	if ext == "" {
		ext = "ts"
	}
	return id, ext, err == nil
}

func (a *API) channel(c *gin.Context, s session, file string) (subscriberview.Channel, string, bool) {
	id, ext, ok := splitFile(file)
	ch, found := s.lineup.Channel(id)
	if !ok || !found {
		c.String(http.StatusNotFound, "no such stream\n")
		return ch, ext, false
	}
	if ext != "ts" && ext != "m3u8" {
		c.String(http.StatusNotFound, "output format not offered; use ts or m3u8\n") // never echo the request
		return ch, ext, false
	}
	return ch, ext, true
}

// handleLive redirects /live/U/P/ID.ts|.m3u8 to the balancer URL of the
// channel with the subscriber's token.
func (a *API) handleLive(c *gin.Context) {
	s, ok := a.streamSession(c)
	if !ok {
		return
	}
	ch, ext, ok := a.channel(c, s, c.Param("file"))
	if !ok {
		return
	}
	f := playlist.FormatTS
	if ext == "m3u8" {
		f = playlist.FormatHLS
	}
	live, _ := s.links.Live(ch, s.sub.Token, f)
	c.Redirect(http.StatusFound, live)
}

// handleTimeshift redirects /timeshift/U/P/MINUTES/START/ID.ts to the
// channel's archive window (flussonic.md §4): archive-FROM-SECONDS.ts, or
// .m3u8 for an HLS request.
func (a *API) handleTimeshift(c *gin.Context) {
	s, ok := a.streamSession(c)
	if !ok {
		return
	}
	a.timeshift(c, s, c.Param("duration"), c.Param("start"), c.Param("file"))
}

// handleTimeshiftQuery is the query form:
// /streaming/timeshift.php?username&password&stream&start&duration, also
// served at /timeshift.php.
func (a *API) handleTimeshiftQuery(c *gin.Context) {
	user, pass := credentials(c)
	s, err := a.login(c, user, pass)
	if err != nil {
		a.failText(c, err)
		return
	}
	if !a.mayPlay(c, s) {
		return
	}
	a.timeshift(c, s, param(c, "duration"), param(c, "start"), param(c, "stream"))
}

func (a *API) timeshift(c *gin.Context, s session, duration, start, file string) {
	ch, ext, ok := a.channel(c, s, file)
	if !ok {
		return
	}
	minutes, from, ok := parseTimeshift(duration, start)
	if !ok {
		c.String(http.StatusBadRequest, "timeshift needs a duration of 1 to %d minutes and a start like 2025-03-01:20-00\n",
			maxTimeshiftMinutes)
		return
	}
	now := a.deps.Now()
	if ch.DVRDays == 0 || from.Before(ch.ArchiveFrom(now)) || from.After(now) {
		c.String(http.StatusNotFound, "no archive for that time\n")
		return
	}
	c.Redirect(http.StatusFound, s.links.Archive(ch, from, minutes*60, ext, s.sub.Token))
}

// maxTimeshiftMinutes bounds a timeshift's duration: a month, longer than
// any archive, and small enough that the seconds in the archive URL cannot
// overflow.
const maxTimeshiftMinutes = 31 * 24 * 60

// parseTimeshift reads a timeshift's duration in minutes and its start.
func parseTimeshift(duration, start string) (minutes int, from time.Time, ok bool) {
	minutes, err := strconv.Atoi(duration)
	if err != nil || minutes <= 0 || minutes > maxTimeshiftMinutes {
		return 0, time.Time{}, false
	}
	from, ok = ParseStart(start)
	return minutes, from, ok
}

// startLayouts are the start-time forms clients send (spec §1.3), in the
// server time zone, which Canale declares as UTC.
var startLayouts = []string{
	"2006-01-02:15-04", "2006-01-02:15-04-05", "2006-01-02_15-04", "2006-01-02_15-04-05",
	"2006-01-02:15:04", "2006-01-02:15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05",
}

// ParseStart parses an XC timeshift start time, or unix seconds.
func ParseStart(s string) (time.Time, bool) {
	for _, l := range startLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 1_000_000_000 {
		return time.Unix(n, 0).UTC(), true
	}
	return time.Time{}, false
}

// refuseInactive answers a request of an expired, disabled or banned account.
func (a *API) refuseInactive(c *gin.Context, s session) {
	c.String(http.StatusForbidden, "account %s\n", strings.ToLower(s.sub.Access(a.deps.Now()).String()))
}

// LegacyLive serves XC's oldest live form, /U/P/<stream_id>[.ts|.m3u8],
// which old playlists and set-top boxes still carry. It has no prefix of
// its own, so it cannot be a route beside the balancer's /{channel}/…: the
// app chains it after the balancer on unmatched paths, and it takes only a
// GET or HEAD the balancer left unanswered whose path is three segments
// ending in a numeric stream id.
func (a *API) LegacyLive(c *gin.Context) {
	if c.Writer.Written() || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		return
	}
	user, pass, file, ok := legacyLivePath(c.Request.URL.EscapedPath())
	if !ok {
		return
	}
	c.Params = append(c.Params, gin.Param{Key: "user", Value: user}, gin.Param{Key: "pass", Value: pass},
		gin.Param{Key: "file", Value: file})
	a.handleLive(c)
}

// legacyLivePath splits the escaped path "/U/P/123.ts" into its parts,
// each unescaped (a password may hold an escaped "/"); ok is false unless
// there are exactly three non-empty segments and the last is a stream id.
func legacyLivePath(p string) (user, pass, file string, ok bool) {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return "", "", "", false
	}
	for i, part := range parts {
		var err error
		if parts[i], err = url.PathUnescape(part); err != nil {
			return "", "", "", false
		}
	}
	if _, _, ok := splitFile(parts[2]); !ok {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// pathSegment escapes s as one segment of a stream URL's path. Beyond
// url.PathEscape it escapes "+": the router unescapes path values the way
// query values are (a bare "+" would read as a space) once a path holds
// any escape, and an XC password may hold both.
func pathSegment(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "+", "%2B")
}
