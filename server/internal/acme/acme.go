// Package acme gets and renews Let's Encrypt certificates with
// golang.org/x/crypto/acme/autocert. The account key and certificates are
// cached in PostgreSQL, so every instance serves the same certificate and a
// restart does not ask the CA again; the domain is whitelisted explicitly so
// a stranger's SNI cannot make us request certificates for other names.
package acme

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"canale/shared/api"

	xacme "golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// Store is where the cache and the settings live.
type Store interface {
	GetACME(ctx context.Context, key string) ([]byte, error)
	PutACME(ctx context.Context, key string, data []byte) error
	DeleteACME(ctx context.Context, key string) error
	FindTLSState(ctx context.Context) (api.TLSStatus, error)
	SaveTLSState(ctx context.Context, actor api.Actor, st api.TLSStatus) error
}

// Options configure the Manager.
type Options struct {
	Store Store
	// DirectoryURL is the ACME directory; empty means Let's Encrypt production.
	DirectoryURL string
	// HTTPClient talks to the CA; nil means http.DefaultClient.
	HTTPClient *http.Client
	Logger     *slog.Logger
	// OnEnable is called (once per Enable) before the certificate is
	// requested, so the HTTPS listener is up for the TLS-ALPN-01 challenge.
	OnEnable func()
}

// Manager holds the autocert manager for the configured domain.
type Manager struct {
	opts Options

	mu     sync.RWMutex
	state  api.TLSStatus
	client *autocert.Manager
}

// New returns a Manager with nothing enabled; call Load to read the settings.
func New(opts Options) *Manager {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Manager{opts: opts}
}

// Load reads the saved settings and, when HTTPS is enabled, prepares the
// autocert manager (certificates come from the cache or are renewed lazily).
func (m *Manager) Load(ctx context.Context) error {
	st, err := m.opts.Store.FindTLSState(ctx)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.state = st
	m.client = nil
	if st.Enabled {
		m.client = m.newClient(st)
	}
	return nil
}

// Enabled reports whether HTTPS with a managed certificate is on.
func (m *Manager) Enabled() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.client != nil
}

func (m *Manager) newClient(st api.TLSStatus) *autocert.Manager {
	dir := m.opts.DirectoryURL
	if dir == "" {
		dir = autocert.DefaultACMEDirectory
	}
	return &autocert.Manager{
		Prompt:      autocert.AcceptTOS,
		Cache:       cache{m.opts.Store},
		HostPolicy:  autocert.HostWhitelist(st.Domain),
		Email:       st.Email,
		RenewBefore: 30 * 24 * time.Hour,
		Client:      &xacme.Client{DirectoryURL: dir, HTTPClient: m.opts.HTTPClient},
	}
}

// Enable turns HTTPS on for req.Domain and obtains the certificate now, so the
// operator learns at once whether the CA could validate the domain. On
// failure the error is saved (shown in the status) and HTTPS stays off.
func (m *Manager) Enable(ctx context.Context, actor api.Actor, req api.LetsEncryptRequest) (api.TLSStatus, error) {
	req.Domain = strings.ToLower(strings.TrimSpace(req.Domain))
	if err := req.Validate(); err != nil {
		return api.TLSStatus{}, err
	}
	st := api.TLSStatus{Enabled: true, Domain: req.Domain, Email: req.Email}
	client := m.newClient(st)
	m.mu.Lock()
	m.state, m.client = st, client
	m.mu.Unlock()
	if m.opts.OnEnable != nil {
		m.opts.OnEnable()
	}
	cert, err := client.GetCertificate(&tls.ClientHelloInfo{ServerName: req.Domain})
	if err != nil {
		st.Enabled, st.LastError = false, err.Error()
		m.mu.Lock()
		m.state, m.client = st, nil
		m.mu.Unlock()
		_ = m.opts.Store.SaveTLSState(ctx, actor, st)
		m.opts.Logger.Warn("let's encrypt certificate refused", "domain", req.Domain, "error", err)
		return st, &api.Error{Code: api.CodeUnavailable, Message: "the certificate authority refused: " + err.Error()}
	}
	if err := m.opts.Store.SaveTLSState(ctx, actor, st); err != nil {
		return st, err
	}
	m.opts.Logger.Info("let's encrypt certificate obtained", "domain", req.Domain)
	return withCert(st, cert), nil
}

// Disable turns managed HTTPS off; cached certificates stay for a later Enable.
func (m *Manager) Disable(ctx context.Context, actor api.Actor) error {
	m.mu.Lock()
	st := m.state
	st.Enabled = false
	m.state, m.client = st, nil
	m.mu.Unlock()
	return m.opts.Store.SaveTLSState(ctx, actor, st)
}

// Status returns the settings and the certificate in use, if any.
func (m *Manager) Status(ctx context.Context) api.TLSStatus {
	m.mu.RLock()
	st, client := m.state, m.client
	m.mu.RUnlock()
	if client == nil {
		return st
	}
	if b, err := m.opts.Store.GetACME(ctx, st.Domain); err == nil {
		if cert, err := parseCached(b); err == nil {
			return withCert(st, cert)
		}
	}
	return st
}

// TLSConfig is the configuration of the HTTPS listener: certificates from
// the current manager, and the acme-tls/1 protocol for TLS-ALPN-01.
func (m *Manager) TLSConfig() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		NextProtos: []string{"http/1.1", xacme.ALPNProto},
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			m.mu.RLock()
			client := m.client
			m.mu.RUnlock()
			if client == nil {
				return nil, errors.New("https is not enabled")
			}
			return client.GetCertificate(hello)
		},
	}
}

// HTTPHandler answers HTTP-01 challenges on the plain listener and passes
// every other request to next (no redirect: players often cannot follow one
// to HTTPS).
func (m *Manager) HTTPHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The path first: every request passes here, and the read lock
		// would write a cache line both cores share on each of them.
		if strings.HasPrefix(r.URL.Path, "/.well-known/acme-challenge/") {
			m.mu.RLock()
			client := m.client
			m.mu.RUnlock()
			if client != nil {
				client.HTTPHandler(next).ServeHTTP(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func withCert(st api.TLSStatus, cert *tls.Certificate) api.TLSStatus {
	if cert == nil || len(cert.Certificate) == 0 {
		return st
	}
	if leaf, err := x509.ParseCertificate(cert.Certificate[0]); err == nil {
		st.NotAfter, st.Issuer = leaf.NotAfter, leaf.Issuer.CommonName
	}
	return st
}

func parseCached(b []byte) (*tls.Certificate, error) {
	// autocert stores the private key PEM followed by the chain.
	var cert tls.Certificate
	for rest := b; len(rest) > 0; {
		block, next := pemDecode(rest)
		if block == nil {
			break
		}
		if block.Type == "CERTIFICATE" {
			cert.Certificate = append(cert.Certificate, block.Bytes)
		}
		rest = next
	}
	if len(cert.Certificate) == 0 {
		return nil, fmt.Errorf("no certificate in cache entry")
	}
	return &cert, nil
}
