package session_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"canale/desktop/internal/session"
	"canale/server/servertest"
	"canale/shared/api"

	"github.com/pquerna/otp/totp"
)

func TestMain(m *testing.M) { servertest.Main(m) }

// memPrefs keeps preferences in memory, as fyne.Preferences does in a
// process that never saves.
type memPrefs struct {
	mu sync.Mutex
	m  map[string]string
}

func (p *memPrefs) String(k string) string { p.mu.Lock(); defer p.mu.Unlock(); return p.m[k] }
func (p *memPrefs) SetString(k, v string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]string{}
	}
	p.m[k] = v
}

// recorder collects a session's states and events on channels.
type recorder struct {
	states chan session.State
	causes chan error
	events chan api.Event
}

func newSession(t *testing.T) (*session.Session, *recorder) {
	t.Helper()
	s := session.New(session.Config{Prefs: &memPrefs{}, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	r := &recorder{states: make(chan session.State, 100), causes: make(chan error, 100), events: make(chan api.Event, 100)}
	s.OnState(func(st session.State, err error) { r.states <- st; r.causes <- err })
	s.OnEvent(func(e api.Event) { r.events <- e })
	t.Cleanup(func() { _ = s.Logout(context.Background()) })
	return s, r
}

// waitState waits for st, skipping the states before it.
func (r *recorder) waitState(t *testing.T, st session.State) error {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case got := <-r.states:
			cause := <-r.causes
			if got == st {
				return cause
			}
		case <-timeout:
			t.Fatalf("state %v never came", st)
		}
	}
}

// waitChange waits for a change event of the given entity and op.
func (r *recorder) waitChange(t *testing.T, entity api.Entity, op api.Op) {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case e := <-r.events:
			var c api.Change
			_ = json.Unmarshal(e.Data, &c)
			if e.Type == api.EventChange && c.Entity == entity && c.Op == op {
				return
			}
		case <-timeout:
			t.Fatalf("no %s %s change event", entity, op)
		}
	}
}

func login(t *testing.T, s *session.Session, url, password string) (api.Me, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return s.Login(ctx, session.Credentials{ServerURL: url, Login: "admin", Password: password})
}

func TestLogin(t *testing.T) {
	srv := servertest.Start(t)
	t.Run("OK", func(t *testing.T) {
		s, r := newSession(t)
		me, err := login(t, s, srv.URL, servertest.AdminPassword)
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		if me.Admin.Login != "admin" || s.Me().Admin.Role != api.RoleAdmin {
			t.Errorf("got me %+v, want admin with role admin", s.Me())
		}
		r.waitState(t, session.StateConnected)
		if got := s.Servers(); len(got) != 1 || got[0].URL != srv.URL || got[0].Login != "admin" {
			t.Errorf("got remembered servers %+v, want [%s admin]", got, srv.URL)
		}
		if err := s.Logout(context.Background()); err != nil {
			t.Fatalf("logout: %v", err)
		}
		r.waitState(t, session.StateOffline)
		if s.API() != nil {
			t.Error("API() is not nil after logout")
		}
	})
	t.Run("ErrBadCredentials", func(t *testing.T) {
		s, _ := newSession(t)
		_, err := login(t, s, srv.URL, "wrong")
		if !errors.Is(err, session.ErrBadCredentials) {
			t.Fatalf("got %v, want ErrBadCredentials", err)
		}
		if got, want := err.Error(), "wrong login or password"; got != want {
			t.Errorf("got message %q, want %q", got, want)
		}
	})
	t.Run("Unreachable", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		s, _ := newSession(t)
		_, err = login(t, s, "http://"+addr, "x")
		var ue *session.UnreachableError
		if !errors.As(err, &ue) {
			t.Fatalf("got %T %v, want *UnreachableError", err, err)
		}
		t.Logf("message: %v", err)
	})
}

func TestVersionMismatch(t *testing.T) {
	// A stand-in for a future server: the real one always speaks this version.
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/auth/login", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(api.LoginResponse{Token: "t"})
	})
	mux.HandleFunc("GET /api/v1/me", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(api.Me{ServerVersion: "9.0.0", APIVersion: api.APIVersion + 1})
	})
	mux.HandleFunc("POST /api/v1/auth/logout", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	ts := httptest.NewServer(mux)
	defer ts.Close()
	s, _ := newSession(t)
	_, err := login(t, s, ts.URL, "x")
	var ve *session.VersionMismatchError
	if !errors.As(err, &ve) || ve.ServerAPI != api.APIVersion+1 {
		t.Fatalf("got %v, want *VersionMismatchError with server API %d", err, api.APIVersion+1)
	}
	if s.API() != nil {
		t.Error("signed in despite the version mismatch")
	}
}

func TestEvents(t *testing.T) {
	srv := servertest.Start(t)
	s, r := newSession(t)
	if _, err := login(t, s, srv.URL, servertest.AdminPassword); err != nil {
		t.Fatal(err)
	}
	r.waitState(t, session.StateConnected)
	servertest.CreateAdmin(t, srv, "ops", api.RoleOperator, "ops-password-1")
	r.waitChange(t, "admin", "create")

	t.Run("ReconnectAfterRestart", func(t *testing.T) {
		addr := srv.HTTP.Listener.Addr().String()
		srv.HTTP.Close()
		srv.App.Events().CloseAll() // what the process's exit does to open sockets
		r.waitState(t, session.StateReconnecting)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listen again on %s: %v", addr, err)
		}
		ts := &httptest.Server{Listener: ln, Config: &http.Server{Handler: srv.App.Handler()}}
		ts.Start()
		defer ts.Close()
		r.waitState(t, session.StateConnected)
		servertest.CreateAdmin(t, srv, "ops2", api.RoleOperator, "ops-password-2")
		r.waitChange(t, "admin", "create")
	})
	t.Run("RekeyEndsSession", func(t *testing.T) {
		servertest.CreateAdmin(t, srv, "admin", api.RoleAdmin, "new-password-3")
		if cause := r.waitState(t, session.StateOffline); api.ErrorCode(cause) != api.CodeUnauthorized {
			t.Errorf("got cause %v, want CodeUnauthorized", cause)
		}
		if s.API() != nil {
			t.Error("still signed in after the token was revoked")
		}
	})
}

func TestTrustFingerprint(t *testing.T) {
	srv := servertest.Start(t)
	ts := httptest.NewUnstartedServer(srv.App.Handler())
	ts.StartTLS()
	defer ts.Close()
	want := session.Fingerprint(ts.Certificate())
	s, r := newSession(t)
	cr := session.Credentials{ServerURL: ts.URL, Login: "admin", Password: servertest.AdminPassword}
	ctx := context.Background()

	_, err := s.Login(ctx, cr)
	var ue *session.UntrustedCertError
	if !errors.As(err, &ue) {
		t.Fatalf("got %v, want *UntrustedCertError", err)
	}
	if ue.Fingerprint != want || ue.Changed {
		t.Fatalf("got fingerprint %s (changed %v), want %s (changed false)", ue.Fingerprint, ue.Changed, want)
	}

	cr.TrustFingerprint = ue.Fingerprint
	if _, err := s.Login(ctx, cr); err != nil {
		t.Fatalf("login with the pinned fingerprint: %v", err)
	}
	r.waitState(t, session.StateConnected) // the websocket trusts the pin too
	if got := s.Servers()[0].Fingerprint; got != want {
		t.Errorf("got remembered fingerprint %q, want %q", got, want)
	}

	cr.TrustFingerprint = "" // remembered from last time
	if _, err := s.Login(ctx, cr); err != nil {
		t.Fatalf("login with the remembered pin: %v", err)
	}

	other := httptest.NewUnstartedServer(srv.App.Handler())
	other.TLS = &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}} // another certificate
	other.StartTLS()
	defer other.Close()
	cr.ServerURL, cr.TrustFingerprint = other.URL, want
	if _, err := s.Login(ctx, cr); !errors.As(err, &ue) || !ue.Changed {
		t.Errorf("got %v, want *UntrustedCertError with Changed", err)
	}
}

// selfSigned makes a certificate for 127.0.0.1 other than httptest's.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "canale test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "Bare", in: "iptv.example.com", want: "https://iptv.example.com"},
		{name: "HTTP", in: " http://127.0.0.1:18090/ ", want: "http://127.0.0.1:18090"},
		{name: "Empty", in: "", wantErr: true},
		{name: "FTP", in: "ftp://x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := session.NormalizeURL(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("got %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestLoginWithSecondFactor(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	e, err := srv.Admin.BeginTOTP(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now, _ := totp.GenerateCode(e.Secret, time.Now())
	recovery, err := srv.Admin.ConfirmTOTP(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newSession(t)
	if _, err := login(t, s, srv.URL, servertest.AdminPassword); !errors.Is(err, session.ErrCodeNeeded) {
		t.Fatalf("password alone: got %v, want ErrCodeNeeded", err)
	}
	next, _ := totp.GenerateCode(e.Secret, time.Now().Add(30*time.Second))
	cr := session.Credentials{ServerURL: srv.URL, Login: "admin", Password: servertest.AdminPassword, Code: next}
	if _, err := s.Login(ctx, cr); err != nil {
		t.Fatalf("with a fresh code: %v", err)
	}
	if _, err := s.Login(ctx, cr); err == nil || errors.Is(err, session.ErrBadCredentials) {
		t.Errorf("replayed code: got %v, want a message about the code", err)
	}
	cr.Code = recovery[0]
	if _, err := s.Login(ctx, cr); err != nil {
		t.Errorf("with a recovery code: %v", err)
	}
}
