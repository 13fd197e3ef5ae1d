package session

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"canale/shared/api"
	"canale/shared/client"
)

// Config are a session's settings; zero values take the defaults.
type Config struct {
	Logger     *slog.Logger
	Prefs      Preferences    // remembered servers; nil remembers nothing
	RootCAs    *x509.CertPool // trusted roots; nil means the system's
	MinBackoff time.Duration  // first wait before reconnecting the event stream; default 1s
	MaxBackoff time.Duration  // longest wait; default 30s
}

// Credentials are what the connect screen collects.
type Credentials struct {
	ServerURL string
	Login     string
	Password  string
	// TrustFingerprint pins the server's certificate by its SHA-256
	// fingerprint, for servers with a self-signed certificate. Set it only
	// after the user has compared it with the server's.
	TrustFingerprint string
	// Code is the second factor of an account that enrolled one: a code of
	// its authenticator app, or one of its recovery codes.
	Code string
}

// signInRequest is the sign-in body for cr: a six- or eight-digit code goes
// as a TOTP code, anything longer as a recovery code.
func (cr Credentials) signInRequest() api.LoginRequest {
	req := api.LoginRequest{Login: cr.Login, Password: cr.Password}
	code := strings.TrimSpace(cr.Code)
	if len(code) > 8 {
		req.RecoveryCode = code
	} else {
		req.TOTPCode = code
	}
	return req
}

// Session is the app's connection to one server at a time. Its methods are
// safe for concurrent use; callbacks run on the session's goroutines, so UI
// code must hand them to its own thread.
type Session struct {
	cfg Config

	mu      sync.Mutex
	client  *client.Client
	me      api.Me
	stop    context.CancelFunc // stops the event loop
	stopped chan struct{}      // closed when the event loop has returned
	state   State
	onState []func(State, error)
	onEvent []func(api.Event)
}

// New returns a signed-out session.
func New(cfg Config) *Session {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(30*time.Second, cfg.MinBackoff)
	}
	return &Session{cfg: cfg}
}

// NormalizeURL turns what a person types into a base URL: https:// unless a
// scheme is given, no trailing slash.
func NormalizeURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("enter the server address, e.g. https://iptv.example.com")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("%q is not a server address; use https://host[:port]", raw)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/"), nil
}

// Login signs in, checks that the server speaks this app's API version,
// remembers the server and starts the event stream. Errors are
// ErrBadCredentials, ErrCodeNeeded, *UnreachableError, *UntrustedCertError,
// *VersionMismatchError, or a coded *api.Error (e.g. CodeRateLimited).
func (s *Session) Login(ctx context.Context, cr Credentials) (api.Me, error) {
	base, err := NormalizeURL(cr.ServerURL)
	if err != nil {
		return api.Me{}, err
	}
	_ = s.Logout(ctx) // one server at a time
	pin := cr.TrustFingerprint
	if sv, ok := s.server(base); ok && pin == "" {
		pin = sv.Fingerprint
	}
	v := &verifier{roots: s.cfg.RootCAs, pin: pin}
	c := client.New(base, v.httpClient())
	if _, err := c.SignIn(ctx, cr.signInRequest()); err != nil {
		if refused := v.lastRefused(); refused != nil {
			return api.Me{}, refused
		}
		return api.Me{}, loginError(base, err)
	}
	me, err := s.checkServer(ctx, c)
	if err != nil {
		return api.Me{}, err
	}
	s.rememberServer(Server{URL: base, Login: strings.TrimSpace(cr.Login), Fingerprint: pin})
	s.start(c, me)
	return me, nil
}

// checkServer reads /me and refuses a server of another API version.
func (s *Session) checkServer(ctx context.Context, c *client.Client) (api.Me, error) {
	me, err := c.Me(ctx)
	if err != nil {
		return me, loginError(c.BaseURL(), err)
	}
	if me.APIVersion != api.APIVersion {
		_ = c.Logout(ctx)
		return me, &VersionMismatchError{ServerVersion: me.ServerVersion, ServerAPI: me.APIVersion, ClientAPI: api.APIVersion}
	}
	return me, nil
}

func (s *Session) start(c *client.Client, me api.Me) {
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	s.mu.Lock()
	s.client, s.me, s.stop, s.stopped = c, me, cancel, stopped
	s.mu.Unlock()
	go func() { defer close(stopped); s.runEvents(ctx, c) }()
}

// Logout stops the event stream, revokes the token on the server and
// forgets it. It is a no-op when signed out.
func (s *Session) Logout(ctx context.Context) error {
	c := s.end()
	if c == nil {
		return nil
	}
	err := c.Logout(ctx)
	s.setState(StateOffline, nil)
	return err
}

// end stops the event loop, waits for it and clears the signed-in state,
// returning the client it used (nil if signed out).
func (s *Session) end() *client.Client {
	s.mu.Lock()
	c, stop, stopped := s.client, s.stop, s.stopped
	s.client, s.me, s.stop, s.stopped = nil, api.Me{}, nil, nil
	s.mu.Unlock()
	if stop != nil {
		stop()
		<-stopped
	}
	return c
}

// Me returns the signed-in account and server version (zero when signed out).
func (s *Session) Me() api.Me {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.me
}

// API returns the typed client of the signed-in server, or nil.
func (s *Session) API() *client.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.client
}
