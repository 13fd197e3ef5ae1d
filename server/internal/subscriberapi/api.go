package subscriberapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/rendercache"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// Directory is what the playlist endpoints ask about a token.
type Directory interface {
	SubscriberByToken(ctx context.Context, token string) (subscriberview.Subscriber, error)
	Lineup(ctx context.Context, sub subscriberview.Subscriber) (subscriberview.Lineup, error)
}

// Deps are the API's dependencies.
type Deps struct {
	Directory   Directory
	Guide       subscriberview.Guide // nil: playlists work, the guide is empty
	Logger      *slog.Logger
	ExternalURL string // "" derives it from each request
	StreamBase  string // "" sends players to the balancer at ExternalURL
	Now         func() time.Time
	// Cache keeps rendered playlists; nil makes a default one. Bodies are
	// cached only when the Directory is subscriberview.Versioned.
	Cache *rendercache.Cache
}

// API is the playlist and guide surface.
type API struct {
	deps  Deps
	cache *rendercache.Cache
}

// New returns the API.
func New(d Deps) *API {
	if d.Guide == nil {
		d.Guide = subscriberview.MemGuide(nil)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Cache == nil {
		d.Cache = rendercache.New(rendercache.Options{})
	}
	return &API{deps: d, cache: d.Cache}
}

// generation is the directory's version, when it has one: the cache
// generation of every rendered line-up.
func (a *API) generation() (uint64, bool) {
	v, ok := a.deps.Directory.(subscriberview.Versioned)
	if !ok {
		return 0, false
	}
	return v.Version(), true
}

// cacheKey names everything a body rendered for sub depends on besides the
// directory's version: the subscriber's row (id, version, token), the URLs
// it links to and the variant.
func cacheKey(kind string, sub subscriberview.Subscriber, links subscriberview.Links, variant ...string) string {
	return strings.Join(append([]string{kind, strconv.FormatInt(sub.ID, 10), strconv.Itoa(sub.Version), sub.Token,
		links.Base, links.StreamBase}, variant...), "\x00")
}

// Register mounts the routes on r (at the root of the engine).
func (a *API) Register(r *gin.RouterGroup) {
	r.GET("/playlist/:token", a.handleM3UHLS)
	r.GET("/playlist/:token/ts.m3u", a.handleM3UTS)
	r.GET("/epg/:file", a.handleXMLTV)
}

// subscriber resolves a token to an account allowed to watch, or answers
// the request with the reason it is not.
func (a *API) subscriber(c *gin.Context, token string) (subscriberview.Subscriber, bool) {
	sub, err := a.deps.Directory.SubscriberByToken(c, token)
	switch {
	case api.ErrorCode(err) == api.CodeNotFound:
		c.String(http.StatusNotFound, "unknown playlist: the link may have been reset; get a new one from the portal\n")
		return sub, false
	case err != nil:
		a.deps.Logger.ErrorContext(c, "find subscriber by token", "error", err)
		c.String(http.StatusServiceUnavailable, "temporarily unavailable\n")
		return sub, false
	}
	switch sub.Access(a.deps.Now()) {
	case subscriberview.AccessActive:
		return sub, true
	case subscriberview.AccessExpired:
		c.String(http.StatusForbidden, "subscription expired\n")
	default:
		c.String(http.StatusForbidden, "account disabled\n")
	}
	return sub, false
}

func (a *API) lineup(c *gin.Context, sub subscriberview.Subscriber) (subscriberview.Lineup, bool) {
	l, err := a.deps.Directory.Lineup(c, sub)
	if err != nil {
		a.deps.Logger.ErrorContext(c, "read lineup", "subscriber", sub.ID, "error", err)
		c.String(http.StatusServiceUnavailable, "temporarily unavailable\n")
		return l, false
	}
	return l, true
}
