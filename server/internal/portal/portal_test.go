package portal_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"canale/server/internal/hdhomerun"
	"canale/server/internal/httpserver"
	"canale/server/internal/playauth"
	"canale/server/internal/portal"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/server/internal/subscriberapi"
	"canale/server/internal/subscriberview"
	"canale/server/internal/subscriberview/viewtest"

	"github.com/gin-gonic/gin"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	storetest.Main(m)
}

// env is a portal and the token playlists over a seeded database.
type env struct {
	url   string
	dir   *subscriberview.CatalogDirectory
	store *store.Store
	plays *playauth.Service // nil unless startOptions.playauth
}

// start serves the portal and the playlist API like app.New does; the
// players' stream URLs go to streamBase ("" for the balancer at the root).
func start(t *testing.T, streamBase string, extraSQL ...string) env {
	t.Helper()
	return startBehind(t, nil, streamBase, extraSQL...)
}

// startBehind is start behind reverse proxies at the addresses trusted.
func startBehind(t *testing.T, trusted []netip.Prefix, streamBase string, extraSQL ...string) env {
	t.Helper()
	return startWith(t, startOptions{trusted: trusted, streamBase: streamBase, sql: extraSQL})
}

// startOptions are start's settings; guide nil is no programme data.
type startOptions struct {
	trusted    []netip.Prefix
	streamBase string
	sql        []string
	guide      subscriberview.Guide
	now        func() time.Time // nil: the clock
	playauth   bool             // decide plays with a real playauth.Service (env.plays)
}

// startWith serves the portal, with favourites in the store, and the
// playlist API like app.New does.
func startWith(t *testing.T, o startOptions) env {
	t.Helper()
	s, dsn := storetest.NewWithDSN(t)
	viewtest.Seed(t, dsn)
	for _, q := range o.sql {
		storetest.Exec(t, dsn, q)
	}
	dir, cat := viewtest.Directory(t, s)
	auth := subscriberview.NewAuthenticator(dir, subscriberview.AuthOptions{MaxFailures: 5})
	logger := slog.New(slog.DiscardHandler)
	d := portal.Deps{Auth: auth, Directory: dir, Sessions: subscriberview.NewSessions(s), Logger: logger,
		StreamBase: o.streamBase, Tuners: s, Guide: o.guide, Favourites: s, Now: o.now}
	var plays *playauth.Service
	if o.playauth {
		plays = playauth.New(playauth.Deps{Catalog: cat, Store: s, Logger: logger})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { plays.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		d.Plays = plays
	}
	p := portal.New(d)
	pl := subscriberapi.New(subscriberapi.Deps{Directory: dir, Logger: logger, StreamBase: o.streamBase})
	e := httpserver.New(httpserver.Options{Logger: logger, Registry: httpserver.NewRegistry(), TrustedProxies: o.trusted,
		Mounts: []httpserver.Mount{{Prefix: "", Surface: p}, {Prefix: "", Surface: pl},
			{Prefix: hdhomerun.Prefix, Surface: hdhomerun.New(hdhomerun.Deps{Tuners: s, Directory: dir, Logger: logger})}}})
	e.NoRoute(p.NotFound) // as app.New does, last
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return env{url: srv.URL, dir: dir, store: s, plays: plays}
}

// client is a browser-less visitor with a cookie jar that does not follow
// redirects, so each answer can be checked.
func client(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf fetches a page and returns the CSRF token in its first form.
func csrfOf(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	res, b := get(t, c, u)
	m := csrfInput.FindStringSubmatch(b)
	if m == nil {
		t.Fatalf("no csrf field on %s (status %d): %s", u, res.StatusCode, b)
	}
	return m[1]
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func signIn(t *testing.T, e env, c *http.Client, login, password string) *http.Response {
	t.Helper()
	tok := csrfOf(t, c, e.url+"/login")
	res, _ := post(t, c, e.url+"/login", url.Values{"csrf": {tok}, "login": {login}, "password": {password}})
	return res
}

func TestSignInAndCSRF(t *testing.T) {
	t.Parallel()
	e := start(t, "")
	c := client(t)

	// The sign-in form itself is protected.
	res, _ := post(t, c, e.url+"/login", url.Values{"login": {"alice"}, "password": {viewtest.Password}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without csrf: status %d, want 403", res.StatusCode)
	}
	if res := signIn(t, e, c, "alice", "wrong"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: status %d, want 401", res.StatusCode)
	}
	res = signIn(t, e, c, "alice", viewtest.Password)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/channels" {
		t.Fatalf("sign-in: status %d to %q, want 303 to /channels", res.StatusCode, res.Header.Get("Location"))
	}
	cookies := res.Header.Values("Set-Cookie")
	session := cookies[len(cookies)-1]
	for _, want := range []string{"canale_session=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(session, want) {
			t.Errorf("session cookie %q lacks %s", session, want)
		}
	}
	if strings.Contains(session, "Secure") {
		t.Errorf("session cookie %q is Secure over plain http", session)
	}

	for _, tt := range []struct {
		name string
		form url.Values
	}{
		{"no token", url.Values{}},
		{"wrong token", url.Values{"csrf": {"forged"}}},
	} {
		res, _ := post(t, c, e.url+"/account/reset-token", tt.form)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("reset with %s: status %d, want 403", tt.name, res.StatusCode)
		}
	}
	if sub, _ := e.dir.SubscriberByLogin(t.Context(), "alice"); sub.Token != "tok-alice" {
		t.Errorf("a refused reset changed the token to %q", sub.Token)
	}
	res, _ = post(t, c, e.url+"/account/reset-token", url.Values{"csrf": {csrfOf(t, c, e.url+"/account")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("reset with the token: status %d, want 303", res.StatusCode)
	}
	if sub, _ := e.dir.SubscriberByLogin(t.Context(), "alice"); sub.Token == "tok-alice" {
		t.Error("the reset did not change the token")
	}
}

func TestSecureCookieBehindHTTPSProxy(t *testing.T) {
	t.Parallel()
	e := startBehind(t, []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, "")
	if c := forwardedHTTPSCookie(t, e); !strings.Contains(c, "Secure") {
		t.Errorf("cookie over forwarded https = %q, want Secure", c)
	}
	// Without the proxy configured, the same header is the client's own claim.
	if c := forwardedHTTPSCookie(t, start(t, "")); strings.Contains(c, "Secure") {
		t.Errorf("cookie over https forwarded by an untrusted peer = %q, want not Secure", c)
	}
}

func forwardedHTTPSCookie(t *testing.T, e env) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.url+"/login", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.Header.Get("Set-Cookie")
}

func TestProblemPages(t *testing.T) {
	t.Parallel()
	e := start(t, "")
	tests := []struct {
		login      string
		planted    int64 // a session made in the store for this subscriber, who cannot sign in
		wantStatus int
		wantText   string
	}{
		{"dave", 0, http.StatusForbidden, "Your subscription expired on 1 January 2020."},
		{"carol", 3, http.StatusForbidden, "Your account is disabled"},
		{"bob", 0, http.StatusOK, "Free Four"}, // no package, but a free channel
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			c := client(t)
			if tt.planted != 0 {
				c = plantSession(t, e, tt.planted)
			} else {
				signIn(t, e, c, tt.login, viewtest.Password)
			}
			res, err := c.Get(e.url + "/channels")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus || !strings.Contains(string(b), tt.wantText) {
				t.Errorf("status %d, want %d with %q in:\n%s", res.StatusCode, tt.wantStatus, tt.wantText, b)
			}
		})
	}
}

func TestNoChannelsPage(t *testing.T) {
	t.Parallel()
	e := start(t, "", `UPDATE channels SET free = false`)
	c := client(t)
	signIn(t, e, c, "bob", viewtest.Password)
	res, err := c.Get(e.url + "/channels")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if want := "Your account holds no package with channels."; !strings.Contains(string(b), want) {
		t.Errorf("page lacks %q:\n%s", want, b)
	}
}

func TestSignedOutVisitorsGoToLogin(t *testing.T) {
	t.Parallel()
	e := start(t, "")
	c := client(t)
	for _, path := range []string{"/", "/channels", "/player/1", "/playlists", "/account"} {
		res, err := c.Get(e.url + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Errorf("%s: status %d to %q, want 303 to /login", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	res, _ := post(t, c, e.url+"/account/reset-token", url.Values{})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("signed-out reset: status %d, want 403", res.StatusCode)
	}
}
