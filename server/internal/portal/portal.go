package portal

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"canale/server/internal/playauth"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Authenticator checks a login and password (subscriberview.Authenticator).
type Authenticator interface {
	Authenticate(ctx context.Context, login, password, clientIP string) (subscriberview.Subscriber, error)
}

// Directory answers what the pages show and resets tokens.
type Directory interface {
	SubscriberByID(ctx context.Context, id int64) (subscriberview.Subscriber, error)
	Lineup(ctx context.Context, sub subscriberview.Subscriber) (subscriberview.Lineup, error)
	Packages(ctx context.Context, sub subscriberview.Subscriber) ([]subscriberview.Package, error)
	ResetToken(ctx context.Context, actor api.Actor, id int64) (string, error)
}

// Sessions keeps sign-ins (subscriberview.Sessions).
type Sessions interface {
	Create(ctx context.Context, s subscriberview.Session) (string, error)
	Find(ctx context.Context, token string) (subscriberview.Session, error)
	List(ctx context.Context, subscriberID int64) ([]subscriberview.Session, error)
	Delete(ctx context.Context, token string) error
	DeleteAll(ctx context.Context, subscriberID int64) error
}

// PlaySessions lists what subscribers are watching now and ends the
// sessions of a player that gave up (playauth.Service).
type PlaySessions interface {
	FindPlaySessions(ctx context.Context, f api.PlaySessionFilter, p api.ListParams) (api.Page[api.PlaySession], error)
	EndGaveUpSessions(ctx context.Context, g playauth.PlayerGaveUp) (int, error)
}

// Deps are the portal's dependencies.
type Deps struct {
	Auth        Authenticator
	Directory   Directory
	Sessions    Sessions
	Plays       PlaySessions         // nil: the account page lists no play sessions
	Guide       subscriberview.Guide // nil: no now/next
	Logger      *slog.Logger
	ExternalURL string        // "" derives it from each request
	StreamBase  string        // "" plays through the balancer at ExternalURL
	SessionTTL  time.Duration // default 30 days
	Now         func() time.Time
	Tuners      Tuners  // nil: the playlists page shows no HDHomeRun tuner
	Devices     Devices // nil: the account page lists no devices

	// Favourites keeps favourites and recently watched (*store.Store);
	// nil shows neither.
	Favourites Favourites
	// Branding is the operator's look, read per page so a settings change
	// shows at once; nil keeps Canale's own.
	Branding func() api.Branding
}

// Tuners finds a subscriber's HDHomeRun tuner token (*store.Store).
type Tuners interface {
	TunerToken(ctx context.Context, subscriberID int64) (string, error)
}

// Portal is the customer portal surface.
type Portal struct {
	deps  Deps
	pages map[string]*template.Template
}

// New parses the templates and returns the portal.
func New(d Deps) *Portal {
	if d.Guide == nil {
		d.Guide = subscriberview.MemGuide(nil)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.SessionTTL <= 0 {
		d.SessionTTL = 30 * 24 * time.Hour
	}
	if d.Branding == nil {
		d.Branding = func() api.Branding { return api.Branding{} }
	}
	p := &Portal{deps: d, pages: map[string]*template.Template{}}
	for _, name := range []string{"login", "problem", "channels", "player", "playlists", "account",
		"grid", "movie", "show", "guide", "confirm"} {
		p.pages[name] = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return p
}

// Register mounts the pages on r, the engine's root.
func (p *Portal) Register(r *gin.RouterGroup) {
	static, _ := fs.Sub(staticFS, "static")
	r.Use(securityHeaders, negotiateLang)
	r.StaticFS("/static", http.FS(static))
	r.GET("/brand.css", p.handleBrandCSS)
	r.GET("/", p.handleHome)
	r.GET("/login", p.handleLoginForm)
	r.POST("/login", p.handleLogin)
	signed := r.Group("", p.requireSession)
	signed.POST("/logout", p.checkCSRF, p.handleLogout)
	signed.GET("/channels", p.handleChannels)
	signed.GET("/player/:id", p.handlePlayer)
	signed.GET("/playlists", p.handlePlaylists)
	signed.GET("/playlists/qr.png", p.handleQR)
	signed.GET("/account", p.handleAccount)
	signed.GET("/account/reset-token", p.handleResetTokenForm)
	signed.POST("/account/reset-token", p.checkCSRF, p.handleResetToken)
	signed.POST("/account/sign-out-everywhere", p.checkCSRF, p.handleSignOutEverywhere)
	signed.GET("/movies", p.handleMovies)
	signed.GET("/movies/:id", p.handleMovie)
	signed.GET("/movies/:id/play", p.handleMoviePlay)
	// Series live at /shows: XC's /series/U/P/<file> holds /series at the root.
	signed.GET("/shows", p.handleSeriesList)
	signed.GET("/shows/:id", p.handleShow)
	signed.GET("/episodes/:id/play", p.handleEpisodePlay)
	signed.GET("/guide", p.handleGuide)
	signed.POST("/favourites", p.checkCSRF, p.handleFavourite)
	signed.POST("/recent", p.checkCSRF, p.handleRecent)
	r.GET("/guide.css", handleGuideCSS)
	signed.POST("/player/gave-up", p.checkCSRF, p.handlePlayerGaveUp)
}

// securityHeaders keeps the pages from running anything but our scripts and
// from being framed. Media and playlists come from the edges, anywhere.
func securityHeaders(c *gin.Context) {
	setSecurityHeaders(c.Writer.Header())
	c.Next()
}

func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "+
		"img-src 'self' data: https: http:; media-src 'self' blob: https: http:; connect-src 'self' https: http:; "+
		"worker-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
}

// page is what every template gets.
type page struct {
	Title  string
	Nav    string
	Signed bool
	Login  string
	CSRF   string
	Error  string
	Data   any
	// T translates English source text into the page's language
	// (i18n.go); templates call it as {{call $.T "Text" args...}}.
	T     func(string, ...any) string
	Lang  Lang       // the page's language
	Langs []langLink // every language, for the switcher
	Brand brand      // the operator's look
}

// newPage is a page in the request's language, for handlers that need T
// before they render.
func (p *Portal) newPage(c *gin.Context) page {
	return page{T: translator(langOf(c))}
}

func (p *Portal) render(c *gin.Context, status int, name string, pg page) {
	pg.Lang, pg.Langs, pg.Brand = langOf(c), switcher(c), brandOf(p.deps.Branding())
	if pg.T == nil {
		pg.T = translator(pg.Lang)
	}
	if s, ok := c.Get(ctxSession); ok {
		v := s.(current)
		pg.Signed, pg.Login, pg.CSRF = true, v.sub.Login, v.session.CSRFToken
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	c.Status(status)
	if err := p.pages[name].ExecuteTemplate(c.Writer, "layout", pg); err != nil {
		p.deps.Logger.ErrorContext(c, "render page", "page", name, "error", err)
	}
}

// problemText is an error page that says what is wrong and what to do;
// Back, when set, links where to go instead (BackText names it).
type problemText struct{ Text, Hint, Back, BackText string }

// problem renders an error page; title, text and hint are already in the
// page's language.
func (p *Portal) problem(c *gin.Context, status int, title, text, hint string) {
	p.render(c, status, "problem", page{Title: title, Data: problemText{Text: text, Hint: hint}})
}

func (p *Portal) unavailable(c *gin.Context, what string, err error) {
	p.deps.Logger.ErrorContext(c, what, "error", err)
	pg := p.newPage(c)
	p.problem(c, http.StatusServiceUnavailable, pg.T("Temporarily unavailable"),
		pg.T("The service cannot answer right now."), pg.T("Please try again in a minute."))
}
