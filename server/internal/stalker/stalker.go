package stalker

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// Devices is what the portal reads and writes about boxes; *store.Store is
// one.
type Devices interface {
	FindPortalDevice(ctx context.Context, mac string) (store.PortalDevice, error)
	CreateDevice(ctx context.Context, actor api.Actor, d api.Device) (api.Device, error)
	RecordDeviceBoot(ctx context.Context, id int64, b store.DeviceBoot) error
	SetDeviceToken(ctx context.Context, id int64, token string, expires time.Time) error
	TouchDevice(ctx context.Context, id int64, ip string, expires time.Time) error
	SetDeviceFavourites(ctx context.Context, id int64, channelIDs []int64) error
	SetDeviceLastChannel(ctx context.Context, id, channelID int64) error
}

// Directory gives subscribers and what they may watch
// (subscriberview.CatalogDirectory).
type Directory interface {
	SubscriberByID(ctx context.Context, id int64) (subscriberview.Subscriber, error)
	Lineup(ctx context.Context, sub subscriberview.Subscriber) (subscriberview.Lineup, error)
	// Version moves whenever any line-up may have changed apart from the
	// subscriber's own row; cached line-ups are dropped when it does.
	Version() uint64
}

// Authenticator checks a login and password for do_auth
// (subscriberview.Authenticator, rate-limited like every sign-in).
type Authenticator interface {
	Authenticate(ctx context.Context, login, password, clientIP string) (subscriberview.Subscriber, error)
}

// Deps are the API's dependencies.
type Deps struct {
	Devices   Devices
	Directory Directory
	Auth      Authenticator
	Guide     subscriberview.Guide // nil: an empty guide
	// Secret returns the installation's streamer secret, which signs the
	// minted stream links (playauth verifies them with the same one).
	Secret      func() string
	Logger      *slog.Logger
	ExternalURL string // "" derives it from each request
	StreamBase  string // "" sends boxes to the balancer at ExternalURL
	Message     string // account_info message
	// Alert reports an address cut off for scanning MACs; nil drops it.
	Alert func(api.Alert)
	// Scan tunes the anti-scan guard; zero values take the defaults.
	Scan ScanOptions
	// LinkTTL is how long a minted stream link may wait for its first use
	// (default 30 s: Stalker's 5 s is too short for slow boxes).
	LinkTTL time.Duration
	// SessionTTL is a box's portal session, sliding (default 24 h).
	SessionTTL time.Duration
	Now        func() time.Time
}

// API is the Stalker portal surface.
type API struct {
	deps    Deps
	scan    *scanGuard
	devices *deviceCache
	lineups *lineups
}

// New returns the API.
func New(d Deps) *API {
	if d.Guide == nil {
		d.Guide = subscriberview.MemGuide(nil)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.LinkTTL <= 0 {
		d.LinkTTL = 30 * time.Second
	}
	if d.SessionTTL <= 0 {
		d.SessionTTL = 24 * time.Hour
	}
	return &API{deps: d, scan: newScanGuard(d.Scan, d.Now, d.Alert), devices: newDeviceCache(d.Devices, d.Now),
		lineups: newLineups(d.Directory)}
}

// Notify applies a committed change from any instance (the app passes
// every one): a device's change takes effect on its next call.
func (a *API) Notify(c api.Change) { a.devices.Notify(c) }

// loaderPaths are the API's URL forms (spec §1.1), answered alike and
// without redirects, since some stacks drop Authorization across one.
var loaderPaths = []string{"/portal.php", "/c/portal.php", "/server/load.php", "/stalker_portal/server/load.php",
	"/stalker_portal/c/portal.php"}

// Register mounts the routes on the engine's root: boxes build these paths
// from the portal URL their user typed.
func (a *API) Register(r *gin.RouterGroup) {
	for _, p := range loaderPaths {
		r.GET(p, a.handle)
		r.POST(p, a.handle)
	}
	r.GET("/c/xpcom.common.js", a.handleXpcom)
	r.GET("/stalker_portal/c/xpcom.common.js", a.handleXpcom)
}

// session is an authenticated box: its device, subscriber and line-up.
type session struct {
	dev    store.PortalDevice
	sub    subscriberview.Subscriber
	view   *lineupView
	lineup subscriberview.Lineup // view.lineup
	links  subscriberview.Links
}

// handler answers one action; the session is nil for the actions a box may
// call before its profile (§1.5).
type handler func(a *API, q *request, s *session) (any, error)

// open lists the actions that need no session (Stalker's exemptions).
var open = map[string]handler{
	"stb/handshake":        (*API).handshake,
	"stb/get_profile":      (*API).getProfile,
	"stb/get_localization": (*API).getLocalization,
	"stb/do_auth":          (*API).doAuth,
}

// handle dispatches a call on type and action.
func (a *API) handle(c *gin.Context) {
	c.Writer.Header()["Cache-Control"] = noStore
	q := requests.Get().(*request)
	q.c = c
	// First: a refused scanner costs its address and a look-up. While no
	// address is cut off, calls that need no address (a channel page) do
	// not work it out at all.
	if a.scan.refusing() && !a.scan.allowed(q.addr()) {
		c.String(http.StatusOK, accessDenied)
	} else {
		q.now, q.mac = a.deps.Now(), a.deviceMAC(c)
		a.dispatch(q)
	}
	*q = request{} // hold nothing of this call while pooled
	requests.Put(q)
}

func (a *API) dispatch(q *request) {
	var room [64]byte
	key := actionKey(room[:0], q.param("type"), q.param("action"))
	if h, ok := open[string(key)]; ok {
		a.reply(q, h, nil)
		return
	}
	s, refusal := a.session(q)
	if refusal != "" {
		q.c.String(http.StatusOK, refusal)
		return
	}
	h, ok := actions[string(key)] // indexing by string(key) does not copy it
	if !ok {
		h = unknownAction
	}
	a.reply(q, h, s)
}

// actionKey appends "type/action", lowered, to dst.
func actionKey(dst []byte, typ, action string) []byte {
	dst = appendLower(dst, typ)
	dst = append(dst, '/')
	return appendLower(dst, action)
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func (a *API) reply(q *request, h handler, s *session) {
	js, err := h(a, q, s)
	if err != nil {
		a.deps.Logger.ErrorContext(q.c, "stalker action", "type", q.param("type"), "action", q.param("action"),
			"error", err)
		q.c.String(http.StatusServiceUnavailable, "temporarily unavailable\n")
		return
	}
	writeJS(q.c, js)
}

// The plain-text bodies the portal JS compares against (spec §1.4): the
// first makes the box sign in again, the second shows the cut-off screen.
const (
	authFailed   = "Authorization failed."
	accessDenied = "Access denied."
)

// session authenticates a call by the MAC cookie and the Bearer token its
// profile confirmed, and finds the subscriber's line-up. The device comes
// from the device cache and the subscriber from the read model, so a
// call reads no table; a token the cached device does not hold reads the
// row again (the profile may have run on another instance). A refusal is
// one of the plain-text bodies.
func (a *API) session(q *request) (*session, string) {
	token := bearer(q.c)
	if q.mac == "" || token == "" {
		return nil, authFailed
	}
	dev, known, fresh, err := a.devices.find(q.c, q.mac, q.now)
	valid := err == nil && a.devices.tokenValid(q.mac, dev, known, token, q.now)
	if err == nil && !fresh && !valid {
		dev, err = a.devices.load(q.c, q.mac)
		valid = err == nil && a.devices.tokenValid(q.mac, dev, "", token, q.now)
	}
	if api.ErrorCode(err) == api.CodeNotFound {
		a.scan.unknown(q.addr())
		return nil, authFailed
	}
	if err != nil {
		a.deps.Logger.ErrorContext(q.c, "stalker device", "error", err)
		return nil, authFailed
	}
	if !valid {
		return nil, authFailed
	}
	sub, err := a.deps.Directory.SubscriberByID(q.c, dev.SubscriberID)
	if err != nil || sub.Access(q.now) != subscriberview.AccessActive {
		return nil, accessDenied
	}
	view, err := a.lineups.view(q.c, sub)
	if err != nil {
		a.deps.Logger.ErrorContext(q.c, "stalker line-up", "error", err)
		return nil, accessDenied
	}
	// Slide the session, at most once a minute per box.
	if expires := q.now.Add(a.deps.SessionTTL); expires.Sub(dev.TokenExpiresAt) > time.Minute {
		if err := a.devices.touch(q.c, dev.ID, q.addr(), expires); err != nil {
			a.deps.Logger.WarnContext(q.c, "stalker touch device", "error", err)
		}
	}
	q.sess = session{dev: dev, sub: sub, view: view, lineup: view.lineup,
		links: subscriberview.LinksFor(q.c.Request, a.deps.ExternalURL, a.deps.StreamBase)}
	return &q.sess, ""
}

// newToken is a session token: 128 random bits as 32 upper-case hex
// characters, the form boxes expect (§1.5).
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// isToken reports whether s has a session token's form.
func isToken(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// jsonType and noStore are header values set as they are, not
// canonicalized again on every call; nothing downstream modifies them.
var (
	jsonType = []string{"application/json; charset=utf-8"}
	noStore  = []string{"no-store"}
)

// rawJSON is an answer already encoded: head, body and tail written one
// after the other into the envelope as they are, so a cached page (the
// body) is written from the cache, never copied. Handlers return a pointer
// to their request's own (request.raw), which costs no allocation.
type rawJSON struct{ head, body, tail []byte }

// chunkedAbove is the body size past which net/http, given no
// Content-Length, would answer in chunks (its bufferBeforeChunkingSize);
// smaller bodies get their length from net/http.
const chunkedAbove = 2048

// writeJS writes the {"js": …} envelope with HTTP 200 (spec §1.4).
func writeJS(c *gin.Context, js any) {
	if raw, ok := js.(*rawJSON); ok {
		h := c.Writer.Header()
		h["Content-Type"] = jsonType
		if n := len(`{"js":}`) + len(raw.head) + len(raw.body) + len(raw.tail); n > chunkedAbove {
			h["Content-Length"] = []string{strconv.Itoa(n)} // one write, not chunks
		}
		c.Status(http.StatusOK)
		_, _ = c.Writer.WriteString(`{"js":`)
		for _, p := range [...][]byte{raw.head, raw.body, raw.tail} {
			_, _ = c.Writer.Write(p)
		}
		_, _ = c.Writer.WriteString("}")
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		JS any `json:"js"`
	}{js}); err != nil {
		c.String(http.StatusInternalServerError, "encode: %v", err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// handleXpcom serves the small loader script that app scrapers read the
// ajax_loader path from (spec §1.1 item 2); a MAG's full web client is not
// served.
func (a *API) handleXpcom(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/javascript; charset=utf-8", []byte(xpcom))
}

const xpcom = `// Canale Stalker portal loader
function common_xpcom(){
var pattern = /(https?):\/\/([^\/]*)\/([\w\/]+)*\/(.)*/;
this.portal_protocol = document.URL.replace(pattern, "$1");
this.portal_ip = document.URL.replace(pattern, "$2");
this.portal_path = document.URL.replace(pattern, "$3");
this.ajax_loader = this.portal_protocol + '://' + this.portal_ip + '/' + this.portal_path + '/portal.php';
}
`
