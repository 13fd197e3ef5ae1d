// Package resellerpanel is the reseller panel at /reseller/: server-rendered
// pages, made for a phone first, where a reseller sells lines and hands them
// to its customers. It signs in through the admin API's reseller sign-in
// (one guard, one token store) and writes only through the store, which
// holds every business rule (credits, trials, sub-resellers, ownership).
package resellerpanel

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/ratelimit"
	"canale/server/internal/subscriberview"
	"canale/server/internal/webform"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html
var templateFS embed.FS

// Accounts signs resellers in and out; *adminapi.API is one.
type Accounts interface {
	SignInReseller(c *gin.Context, login, password string) (string, time.Time, api.Reseller, error)
	ResellerByToken(ctx context.Context, token string) (api.Reseller, error)
	SignOutReseller(ctx context.Context, token string) error
}

// Store reads and writes what the pages show; the store (through the
// admin API's refreshing wrapper) is one.
type Store interface {
	FindSubscribers(ctx context.Context, f api.SubscriberFilter, p api.ListParams) (api.Page[api.Subscriber], error)
	FindSubscriberByID(ctx context.Context, id int64) (api.Subscriber, error)
	CreateSubscriber(ctx context.Context, actor api.Actor, sub api.Subscriber) (api.Subscriber, error)
	ExtendSubscriber(ctx context.Context, actor api.Actor, id int64, req api.ExtendRequest) (api.Subscriber, error)
	SetSubscriberStatus(ctx context.Context, actor api.Actor, id int64, status string) (api.Subscriber, error)
	CreateTrial(ctx context.Context, actor api.Actor, req api.TrialRequest) (api.Subscriber, error)
	FindPackageByID(ctx context.Context, id int64) (api.Package, error)
	FindResellerRules(ctx context.Context, id int64) (api.ResellerRules, error)
	FindCreditLog(ctx context.Context, resellerID int64, p api.ListParams) (api.Page[api.CreditLogEntry], error)
	ResellerDashboard(ctx context.Context, id int64) (api.ResellerDashboard, error)

	UpdateSubscriber(ctx context.Context, actor api.Actor, id int64, upd api.SubscriberUpdate) (api.Subscriber, error)
	ResetSubscriberToken(ctx context.Context, actor api.Actor, id int64) (api.Subscriber, error)
	DeleteSubscriber(ctx context.Context, actor api.Actor, id int64) error
	FindResellerActivity(ctx context.Context, id int64, p api.ListParams) (api.Page[api.AuditEntry], error)
	FindSubResellers(ctx context.Context, actor api.Actor, p api.ListParams) (api.Page[api.Reseller], error)
	CreateSubReseller(ctx context.Context, actor api.Actor, r api.Reseller, passwordHash string) (api.Reseller, error)
	TransferCredits(ctx context.Context, actor api.Actor, childID int64, tr api.CreditTransfer) (api.Reseller, error)
	FindSubtreeReseller(ctx context.Context, actor api.Actor, id int64) (api.Reseller, error)
	FindSubtreeLines(ctx context.Context, actor api.Actor, id int64, p api.ListParams) (api.Page[api.Subscriber], error)
	SetSubResellerPackages(ctx context.Context, actor api.Actor, childID int64, pkgs []api.ResellerPackage) (api.Reseller, error)

	// A line's MAG boxes; the store refuses a reseller anyone else's.
	FindDevices(ctx context.Context, subscriberID int64) ([]api.Device, error)
	FindDeviceByID(ctx context.Context, id int64) (api.Device, error)
	CreateDevice(ctx context.Context, actor api.Actor, d api.Device) (api.Device, error)
	UpdateDevice(ctx context.Context, actor api.Actor, id int64, u api.DeviceUpdate) (api.Device, error)
	ResetDeviceLock(ctx context.Context, actor api.Actor, id int64) (api.Device, error)
	DeleteDevice(ctx context.Context, actor api.Actor, id int64) error
}

// Sessions lists and ends what customers are watching (playauth.Service);
// ending one is allowed by the store only for the reseller's own
// customers, and only when the operator's rules say so.
type Sessions interface {
	FindPlaySessions(ctx context.Context, f api.PlaySessionFilter, p api.ListParams) (api.Page[api.PlaySession], error)
	KillPlaySession(ctx context.Context, actor api.Actor, id int64) (api.PlaySession, error)
}

// Deps are the panel's collaborators.
type Deps struct {
	Accounts Accounts
	Store    Store
	Sessions Sessions // nil: the line page lists no connections
	Hasher   *credential.Hasher
	Logger   *slog.Logger
	// ExternalURL returns the external URL in force ("" derives it from
	// each request), for the links a customer is handed.
	ExternalURL func() string
	SessionTTL  time.Duration // the cookie's life; the token's own expiry still applies
	// Currency returns the operator's currency (the branding setting's, the
	// one the portal shows subscribers), written after every amount of
	// credits ("12.34 EUR"); nil or "" writes "credits". Read per page, so a
	// settings change shows at once.
	Currency func() string
}

// Panel is the reseller panel surface.
type Panel struct {
	deps      Deps
	pages     map[string]*template.Template
	takenMACs *ratelimit.Failures // per reseller, see device_guard.go
}

const (
	sessionCookie   = "canale_reseller"
	loginCSRFCookie = "canale_reseller_login_csrf"
	ctxReseller     = "resellerpanel.reseller"
)

// New parses the templates and returns the panel.
func New(d Deps) *Panel {
	if d.SessionTTL <= 0 {
		d.SessionTTL = 12 * time.Hour
	}
	if d.ExternalURL == nil {
		d.ExternalURL = func() string { return "" }
	}
	if d.Currency == nil {
		d.Currency = func() string { return "" }
	}
	p := &Panel{deps: d, pages: map[string]*template.Template{}, takenMACs: newTakenMACs()}
	funcs := template.FuncMap{"credits": formatCredits, "date": formatDate, "currency": func() string {
		if c := d.Currency(); c != "" {
			return c
		}
		return "credits"
	}}
	for _, name := range []string{"login", "dashboard", "lines", "line", "handover", "problem", "logs", "subresellers", "subreseller"} {
		// Every page may show the hand-over block (the line page does).
		files := []string{"templates/layout.html", "templates/handover_block.html", "templates/" + name + ".html"}
		p.pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS, files...))
	}
	return p
}

// Register mounts the pages on r (the /reseller group).
func (p *Panel) Register(r *gin.RouterGroup) {
	r.Use(securityHeaders)
	r.GET("/", p.handleHome)
	r.GET("/login", p.handleLoginForm)
	r.POST("/login", p.handleLogin)
	signed := r.Group("", p.requireSession)
	signed.POST("/logout", p.checkCSRF, p.handleLogout)
	signed.GET("/dashboard", p.handleDashboard)
	signed.GET("/lines", p.handleLines)
	signed.POST("/lines", p.checkCSRF, p.handleLineCreate)
	signed.POST("/trials", p.checkCSRF, p.handleTrial)
	signed.GET("/lines/:id", p.handleLine)
	signed.POST("/lines/:id/extend", p.checkCSRF, p.handleLineExtend)
	signed.POST("/lines/:id/status", p.checkCSRF, p.handleLineStatus)
	signed.GET("/lines/:id/qr.png", p.handleLineQR)
	signed.POST("/lines/:id/password", p.checkCSRF, p.handleLinePassword)
	signed.POST("/lines/:id/notes", p.checkCSRF, p.handleLineNotes)
	signed.POST("/lines/:id/reset-token", p.checkCSRF, p.handleLineResetToken)
	signed.POST("/lines/:id/delete", p.checkCSRF, p.handleLineDelete)
	signed.POST("/lines/:id/connections/:session", p.checkCSRF, p.handleLineKill)
	signed.GET("/logs", p.handleLogs)
	signed.GET("/subresellers", p.handleSubResellers)
	signed.POST("/subresellers", p.checkCSRF, p.handleSubResellerCreate)
	signed.GET("/subresellers/:id", p.handleSubReseller)
	signed.POST("/subresellers/:id/credits", p.checkCSRF, p.handleSubResellerCredits)
	signed.POST("/lines/:id/devices", p.checkCSRF, p.handleDeviceAdd)
	signed.POST("/lines/:id/devices/:device/lock", p.checkCSRF, p.handleDeviceLock)
	signed.POST("/lines/:id/devices/:device/reset-lock", p.checkCSRF, p.handleDeviceResetLock)
	signed.POST("/lines/:id/devices/:device/delete", p.checkCSRF, p.handleDeviceDelete)
	signed.POST("/subresellers/:id/packages", p.checkCSRF, p.handleSubResellerPackages)
}

// securityHeaders: only our own stylesheet, no scripts, no framing.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "+
		"frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	c.Next()
}

// session is the signed-in reseller of a request.
type session struct {
	token    string
	reseller api.Reseller
}

func (s session) actor(c *gin.Context) api.Actor {
	return api.Actor{Kind: api.KindReseller, ID: s.reseller.ID, Login: s.reseller.Login, ClientIP: c.ClientIP()}
}

// csrf is the session's form token: derived from the session token, so it
// needs no storage and cannot be known without the cookie.
func (s session) csrf() string {
	sum := sha256.Sum256([]byte("canale reseller panel csrf\x00" + s.token))
	return hex.EncodeToString(sum[:16])
}

// cookies are the panel's: only under /reseller/, and Strict, since no
// link from elsewhere needs to arrive signed in.
var cookies = webform.Cookies{Path: "/reseller/", SameSite: http.SameSiteStrictMode, Scheme: subscriberview.RequestScheme}

var loginCSRF = webform.LoginCSRF{Cookie: loginCSRFCookie, Cookies: cookies}

func (p *Panel) setCookie(c *gin.Context, name, value string, maxAge int) {
	cookies.Set(c.Writer, c.Request, name, value, maxAge)
}

func (p *Panel) load(c *gin.Context) (session, bool) {
	token, err := c.Cookie(sessionCookie)
	if err != nil || token == "" {
		return session{}, false
	}
	r, err := p.deps.Accounts.ResellerByToken(c.Request.Context(), token)
	if err != nil {
		return session{}, false
	}
	return session{token: token, reseller: r}, true
}

func (p *Panel) requireSession(c *gin.Context) {
	s, ok := p.load(c)
	if !ok {
		if c.Request.Method == http.MethodGet {
			c.Redirect(http.StatusSeeOther, "/reseller/login")
		} else {
			c.String(http.StatusForbidden, "sign in first\n")
		}
		c.Abort()
		return
	}
	c.Set(ctxReseller, s)
	c.Next()
}

func current(c *gin.Context) session { return c.MustGet(ctxReseller).(session) }

func (p *Panel) checkCSRF(c *gin.Context) {
	if !webform.SameToken(c.PostForm(webform.CSRFField), current(c).csrf()) {
		c.String(http.StatusForbidden, webform.ExpiredForm)
		c.Abort()
		return
	}
	c.Next()
}

// page is what every template gets.
type page struct {
	Title   string
	Nav     string
	Signed  bool
	Login   string
	Credits int64 // minor units
	CSRF    string
	Error   string
	Notice  string
	Data    any
}

func (p *Panel) render(c *gin.Context, status int, name string, pg page) {
	if v, ok := c.Get(ctxReseller); ok {
		s := v.(session)
		pg.Signed, pg.Login, pg.CSRF = true, s.reseller.Login, s.csrf()
		if d, err := p.deps.Store.ResellerDashboard(c.Request.Context(), s.reseller.ID); err == nil {
			pg.Credits = d.CreditsMinor
		}
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := p.pages[name].ExecuteTemplate(c.Writer, "layout", pg); err != nil {
		p.deps.Logger.ErrorContext(c, "render reseller page", "page", name, "error", err)
	}
}

func (p *Panel) problem(c *gin.Context, status int, title, text string) {
	p.render(c, status, "problem", page{Title: title, Error: text})
}
