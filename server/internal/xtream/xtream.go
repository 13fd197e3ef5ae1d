package xtream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"canale/server/internal/rendercache"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// Authenticator checks a login and password (subscriberview.Authenticator).
type Authenticator interface {
	Authenticate(ctx context.Context, login, password, clientIP string) (subscriberview.Subscriber, error)
}

// Directory gives what a subscriber may watch.
type Directory interface {
	Lineup(ctx context.Context, sub subscriberview.Subscriber) (subscriberview.Lineup, error)
}

// PlaySessions lists play sessions (playauth.Service): account info counts
// a subscriber's live ones as active_cons, which TiviMate and Smarters
// show beside max_connections.
type PlaySessions interface {
	FindPlaySessions(ctx context.Context, f api.PlaySessionFilter, p api.ListParams) (api.Page[api.PlaySession], error)
}

// Deps are the API's dependencies.
type Deps struct {
	Auth        Authenticator
	Directory   Directory
	Plays       PlaySessions         // nil: active_cons is "0"
	Guide       subscriberview.Guide // nil: an empty guide
	Logger      *slog.Logger
	ExternalURL string // "" derives it from each request
	StreamBase  string // "" redirects players to the balancer at ExternalURL
	Message     string // user_info.message, the operator's message of the day
	// Cache keeps rendered stream and category lists; nil makes a default
	// one. Lists are cached only when the Directory is subscriberview.Versioned.
	Cache *rendercache.Cache
	Now   func() time.Time
}

// API is the Xtream-Codes-compatible surface.
type API struct {
	deps Deps
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
	return &API{deps: d}
}

// Register mounts the routes on r, which must be the engine's root: XC
// clients build these paths themselves.
func (a *API) Register(r *gin.RouterGroup) {
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		r.Handle(m, "/player_api.php", a.handlePlayerAPI)
		r.Handle(m, "/get.php", a.handleGetPHP)
		r.Handle(m, "/xmltv.php", a.handleXMLTV)
		r.Handle(m, "/streaming/timeshift.php", a.handleTimeshiftQuery)
		r.Handle(m, "/timeshift.php", a.handleTimeshiftQuery) // the same, as some apps and XC_VM write it
	}
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		r.Handle(m, "/live/:user/:pass/:file", a.handleLive)
		r.Handle(m, "/movie/:user/:pass/:file", a.handleMovie)
		r.Handle(m, "/series/:user/:pass/:file", a.handleSeries)
		r.Handle(m, "/timeshift/:user/:pass/:duration/:start/:file", a.handleTimeshift)
	}
}

// session is an authenticated request: the subscriber, what they may watch
// and how to link to it.
type session struct {
	sub      subscriberview.Subscriber
	password string
	lineup   subscriberview.Lineup
	links    subscriberview.Links
	active   bool
}

var errBadLogin = errors.New("bad login")

// login authenticates the request's credentials (query, form or path) and
// loads the line-up of an active account. errBadLogin covers unknown users,
// wrong passwords, rate-limited clients and a server too busy to check.
func (a *API) login(c *gin.Context, user, pass string) (session, error) {
	s, err := a.authenticate(c, user, pass)
	if err != nil {
		return s, err
	}
	return s, a.loadLineup(c, &s)
}

// authenticate is login without the line-up, for answers that may come
// from the render cache.
func (a *API) authenticate(c *gin.Context, user, pass string) (session, error) {
	sub, err := a.deps.Auth.Authenticate(c, user, pass, c.ClientIP())
	// XC players know one failure: a limit or a busy server answers as a
	// wrong password does.
	if code := api.ErrorCode(err); errors.Is(err, subscriberview.ErrBadCredentials) ||
		code == api.CodeRateLimited || code == api.CodeUnavailable {
		return session{}, errBadLogin
	}
	if err != nil {
		return session{}, err
	}
	return session{sub: sub, password: pass,
		links:  subscriberview.LinksFor(c.Request, a.deps.ExternalURL, a.deps.StreamBase),
		active: sub.Access(a.deps.Now()) == subscriberview.AccessActive}, nil
}

// loadLineup reads what an active account may watch.
func (a *API) loadLineup(c *gin.Context, s *session) error {
	if !s.active {
		return nil
	}
	l, err := a.deps.Directory.Lineup(c, s.sub)
	s.lineup = l
	return err
}

// credentials reads username and password from the query or a form body.
func credentials(c *gin.Context) (string, string) {
	return param(c, "username"), param(c, "password")
}

// param reads a parameter from the query, else from a POST form body.
func param(c *gin.Context, name string) string {
	if v, ok := c.GetQuery(name); ok {
		return v
	}
	return c.PostForm(name)
}

// fail answers a failed login or a broken dependency on a JSON endpoint.
func (a *API) fail(c *gin.Context, err error) {
	if errors.Is(err, errBadLogin) {
		c.Data(http.StatusOK, "application/json", failedLogin)
		return
	}
	a.deps.Logger.ErrorContext(c, "xtream login", "error", err)
	c.String(http.StatusServiceUnavailable, "temporarily unavailable\n")
}

// failText answers a failed login or broken dependency on a non-JSON endpoint.
func (a *API) failText(c *gin.Context, err error) {
	if errors.Is(err, errBadLogin) {
		c.String(http.StatusForbidden, "invalid credentials\n")
		return
	}
	a.deps.Logger.ErrorContext(c, "xtream login", "error", err)
	c.String(http.StatusServiceUnavailable, "temporarily unavailable\n")
}

// writeJSON encodes v into a pooled buffer, so the large stream lists do not
// grow and copy a fresh buffer on every request.
func writeJSON(c *gin.Context, v any) {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if err := encodeJSON(buf, v); err != nil {
		c.String(http.StatusInternalServerError, "encode: %v", err)
		return
	}
	c.Data(http.StatusOK, "application/json", buf.Bytes())
}

// encodeJSON writes v as the panels do: no HTML escaping, no final newline.
func encodeJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1)
	return nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// host splits a base URL for server_info.
func hostPort(base string) (host, port, scheme string) {
	u, err := url.Parse(base)
	if err != nil {
		return base, "80", "http"
	}
	port = u.Port()
	if port == "" {
		port = map[string]string{"https": "443"}[u.Scheme]
		if port == "" {
			port = "80"
		}
	}
	return u.Hostname(), port, u.Scheme
}
