// Package balancer sends viewers to the least-loaded healthy edge of a
// channel with an HTTP 302 that keeps the path and query (the token
// included), as Catena's pipeline balancer and autobalancer do
// (specs/catena.md §2.11, specs/flussonic.md §3.3, §8.10).
//
// Mounting: player URLs live at the root (/{channel}/index.m3u8), where a
// gin route /:channel/*rest would collide with /api/v1, /healthz and the
// portal's pages. So the balancer is the engine's NoRoute handler, which
// gin runs only when no route matched: it answers paths that look like
// playback and leaves every other path to the next NoRoute handler (or to
// gin's 404). The Catena SE prefix /lb/-/{channel}/... is an ordinary route
// group; Register mounts it.
package balancer

import (
	"math/rand/v2"
	"net/http"
	"strings"

	"canale/server/internal/fleet"

	"github.com/gin-gonic/gin"
)

// Mode is how "least loaded" is measured.
type Mode string

// Balancing modes, as Flussonic's balancer names them.
const (
	// ModeBitrate prefers the streamer with the lowest output bitrate.
	ModeBitrate Mode = "bitrate"
	// ModeClients prefers the streamer with the fewest viewers.
	ModeClients Mode = "clients"
	// ModeUsage prefers the lowest output bitrate relative to the
	// streamer's bandwidth_limit_kbps (or, without a limit, the
	// bandwidth_usage it reports); a streamer at its limit is used only
	// when every other is too. The default.
	ModeUsage Mode = "usage"
)

// Router knows where each stream can be played; *fleet.Manager is one.
type Router interface {
	// Edges returns the streamers a viewer of name may go to, and whether
	// name is a channel in Canale (false: the autobalancer's search).
	Edges(name string) (edges []fleet.Edge, known bool)
	// BalanceMode is the mode in settings; "" means ModeUsage.
	BalanceMode() string
}

// Balancer answers player URLs with redirects.
type Balancer struct {
	router Router
	// intn picks a tie at random; replaced in tests.
	intn func(n int) int
}

// New returns a Balancer over r.
func New(r Router) *Balancer {
	return &Balancer{router: r, intn: rand.IntN}
}

// Register mounts the /lb/-/{channel}/... routes on r, the "/lb/-" group.
func (b *Balancer) Register(r *gin.RouterGroup) {
	r.GET("/*path", b.handleLB)
	r.HEAD("/*path", b.handleLB)
}

func (b *Balancer) handleLB(c *gin.Context) {
	if !b.serve(c, c.Param("path")) {
		c.String(http.StatusNotFound, "not a playback URL\n")
	}
}

// NoRoute answers GET and HEAD requests for playback paths at the root and
// does nothing for any other request, so gin moves on to the next NoRoute
// handler. Mount it with engine.NoRoute(b.NoRoute, ...).
func (b *Balancer) NoRoute(c *gin.Context) {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		return
	}
	b.serve(c, c.Request.URL.Path)
}

// serve redirects a player asking for path; it reports false, having
// written nothing, when path is not a playback URL.
func (b *Balancer) serve(c *gin.Context, path string) bool {
	name, ok := streamName(path)
	if !ok {
		if name, ok = b.vodFile(path); !ok {
			return false
		}
	}
	edges, known := b.router.Edges(name)
	e, ok := b.pick(edges)
	switch {
	case ok:
		// Set Location by hand: net/http.Redirect parses and escapes the URL
		// and writes an HTML body, work a player never reads, on the path
		// every viewer of every channel takes.
		h := c.Writer.Header()
		h["Location"] = []string{target(e.URL, path, c.Request.URL.RawQuery)}
		h["Cache-Control"] = noStore
		c.Status(http.StatusFound)
	// The answers never repeat the path: whatever a request carries is not
	// written back to whoever sent, or was tricked into sending, it.
	case !known && len(edges) == 0:
		c.String(http.StatusNotFound, "unknown channel\n")
	default:
		c.Header("Retry-After", "10")
		c.String(http.StatusServiceUnavailable, "no streamer is serving this channel now\n")
	}
	c.Abort()
	return true
}

// vodFiles is the optional part of a Router that knows the VOD storages
// (*fleet.Manager is one).
type vodFiles interface {
	VODFile(path string) bool
}

// vodFile returns the name of a file in a VOD storage that path asks for
// whole, with no playback tail: a movie downloaded progressively.
func (b *Balancer) vodFile(path string) (string, bool) {
	if v, ok := b.router.(vodFiles); ok && strings.HasPrefix(path, "/") && v.VODFile(path) {
		return path[1:], true
	}
	return "", false
}

// target is the edge's public URL with the player's path and query. A
// login or password in base (api.Streamer refuses them, but a row may
// predate that or be written by hand) never reaches a viewer.
func target(base, path, rawQuery string) string {
	if strings.IndexByte(base, '@') >= 0 {
		base = withoutUserinfo(base)
	}
	if rawQuery == "" {
		return strings.TrimRight(base, "/") + path
	}
	return strings.TrimRight(base, "/") + path + "?" + rawQuery // one concatenation: one allocation
}

// noStore is the Cache-Control of every redirect, shared by all of them as
// gin shares its content types: net/http only reads header values, and a
// slice full to its capacity is copied by anyone appending to it.
var noStore = []string{"no-store"}

// withoutUserinfo is rawURL without the user name and password of its
// authority; an "@" further on, in the path, stays.
func withoutUserinfo(rawURL string) string {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return rawURL
	}
	authority := rest
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		authority = rest[:end]
	}
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		return scheme + "://" + rest[at+1:]
	}
	return rawURL
}

// pick chooses among the edges that are up and report the stream alive:
// the least loaded, a tie at random. It runs for every viewer, so it makes
// no list of the tied edges: one pass finds the best score, the next takes
// the k-th edge that has it.
func (b *Balancer) pick(edges []fleet.Edge) (fleet.Edge, bool) {
	mode := Mode(b.router.BalanceMode())
	var bestScore score
	ties := 0
	for _, e := range edges {
		if !e.Up || !e.StreamHealthy {
			continue
		}
		s := scoreOf(mode, e)
		switch {
		case ties == 0 || s.less(bestScore):
			bestScore, ties = s, 1
		case !bestScore.less(s):
			ties++
		}
	}
	if ties == 0 {
		return fleet.Edge{}, false
	}
	k := b.intn(ties)
	for _, e := range edges {
		if !e.Up || !e.StreamHealthy {
			continue
		}
		if s := scoreOf(mode, e); !s.less(bestScore) && !bestScore.less(s) {
			if k == 0 {
				return e, true
			}
			k--
		}
	}
	return fleet.Edge{}, false // not reached: ties edges have the best score
}

// score orders edges: any edge below its limit beats one at its limit,
// then lower load wins.
type score struct {
	full bool
	load float64
}

func (a score) less(b score) bool {
	if a.full != b.full {
		return !a.full
	}
	return a.load < b.load
}

func scoreOf(mode Mode, e fleet.Edge) score {
	full := e.BandwidthLimitKbps > 0 && e.OutputKbps >= e.BandwidthLimitKbps
	switch mode {
	case ModeBitrate:
		return score{full: full, load: float64(e.OutputKbps)}
	case ModeClients:
		return score{full: full, load: float64(e.Clients)}
	}
	if e.BandwidthLimitKbps > 0 {
		return score{full: full, load: float64(e.OutputKbps) / float64(e.BandwidthLimitKbps)}
	}
	return score{full: e.BandwidthUsage >= 100, load: e.BandwidthUsage / 100}
}
