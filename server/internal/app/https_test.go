package app_test

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"canale/server/internal/app"
	"canale/server/internal/config"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/server/internal/testacme"
	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

// startApp runs an app on s with the given config until the test ends.
func startApp(t *testing.T, s *store.Store, cfg config.Config) *client.Client {
	t.Helper()
	a := app.New(cfg, s, slog.New(slog.DiscardHandler), "test")
	ctx, cancel := context.WithCancel(context.Background())
	a.Run(ctx)
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() { ts.Close(); cancel(); a.Wait() })
	c := client.New(ts.URL, nil)
	if _, err := c.Login(context.Background(), "admin", testserver.AdminPassword); err != nil {
		t.Fatal(err)
	}
	return c
}

func httpsGet(t *testing.T, addr, host string, p *testacme.Pebble) (*http.Response, error) {
	t.Helper()
	tr := &http.Transport{TLSClientConfig: &tls.Config{ServerName: host, RootCAs: p.Roots(t)}}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	return c.Get("https://" + addr + "/healthz")
}

func TestLetsEncryptButton(t *testing.T) {
	p := testacme.Start(t, testacme.Options{})
	s := storetest.New(t)
	testserver.CreateAdmin(t, s, "admin", api.RoleAdmin, testserver.AdminPassword)
	cfg, err := config.Parse("test", []string{"--data-dir", t.TempDir(), "--https-addr", p.TLSAddr(),
		"--acme-directory-url", p.DirectoryURL, "--acme-ca-file", filepath.Join(p.Dir, "cert.pem"),
		"--external-url", "http://iptv.test:8080"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c := startApp(t, s, cfg)
	ctx := context.Background()

	var bad api.TLSStatus
	err = c.Do(ctx, http.MethodPost, "/api/v1/tls/letsencrypt", api.LetsEncryptRequest{Domain: "localhost"}, &bad)
	if e, ok := err.(*api.Error); !ok || e.Fields["domain"] == "" {
		t.Errorf("bare host: got %v, want a validation error naming domain", err)
	}

	var st api.TLSStatus
	// No domain given: the host of the external URL is used.
	if err := c.Do(ctx, http.MethodPost, "/api/v1/tls/letsencrypt", api.LetsEncryptRequest{Email: "noc@iptv.test"}, &st); err != nil {
		t.Fatalf("let's encrypt: %v", err)
	}
	if !st.Enabled || st.Domain != "iptv.test" || st.Issuer == "" || time.Until(st.NotAfter) < 24*time.Hour {
		t.Errorf("status: got %+v, want enabled for iptv.test with a certificate", st)
	}
	resp, err := httpsGet(t, p.TLSAddr(), "iptv.test", p)
	if err != nil {
		t.Fatalf("https with the issued certificate: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("https /healthz: got %d", resp.StatusCode)
	}
	if _, err := httpsGet(t, p.TLSAddr(), "other.test", p); err == nil {
		t.Error("a name outside the whitelist got a certificate")
	}
}

func TestLetsEncryptCertificateSurvivesRestart(t *testing.T) {
	p := testacme.Start(t, testacme.Options{AlwaysValid: true})
	s := storetest.New(t)
	testserver.CreateAdmin(t, s, "admin", api.RoleAdmin, testserver.AdminPassword)
	args := []string{"--data-dir", t.TempDir(), "--https-addr", "127.0.0.1:0",
		"--acme-directory-url", p.DirectoryURL, "--acme-ca-file", filepath.Join(p.Dir, "cert.pem")}
	cfg, err := config.Parse("test", args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c := startApp(t, s, cfg)
	var st api.TLSStatus
	if err := c.Do(context.Background(), http.MethodPost, "/api/v1/tls/letsencrypt",
		api.LetsEncryptRequest{Domain: "tv.iptv.test"}, &st); err != nil {
		t.Fatal(err)
	}
	p.Close() // the CA is gone: a second instance must use the certificate in PostgreSQL
	c2 := startApp(t, s, cfg)
	if err := c2.Do(context.Background(), http.MethodGet, "/api/v1/tls", nil, &st); err != nil {
		t.Fatal(err)
	}
	if !st.Enabled || st.Issuer == "" {
		t.Errorf("after restart: got %+v, want the cached certificate", st)
	}
}
