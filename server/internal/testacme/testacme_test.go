package testacme_test

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"

	"canale/server/internal/testacme"
)

// TestAutocertTLSALPN gets a certificate the way Canale's acme package will:
// autocert answering TLS-ALPN-01 on the TLS listener, with no HTTP-01
// listener at all.
func TestAutocertTLSALPN(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts testacme.Options
	}{
		{"validated", testacme.Options{}},
		{"always valid", testacme.Options{AlwaysValid: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pebble := testacme.Start(t, tt.opts)
			const host = "iptv.test"
			m := &autocert.Manager{
				Prompt:     autocert.AcceptTOS,
				HostPolicy: autocert.HostWhitelist(host),
				Cache:      autocert.DirCache(t.TempDir()),
				Client:     &acme.Client{DirectoryURL: pebble.DirectoryURL, HTTPClient: pebble.HTTPClient},
			}
			ln, err := tls.Listen("tcp", pebble.TLSAddr(), m.TLSConfig())
			if err != nil {
				t.Fatalf("listen %s: %v", pebble.TLSAddr(), err)
			}
			srv := &http.Server{Handler: http.NotFoundHandler(), ReadHeaderTimeout: 10 * time.Second}
			go srv.Serve(ln)
			t.Cleanup(func() { srv.Close() })

			// The first handshake makes autocert order the certificate;
			// verifying against pebble's root proves the chain.
			roots := pebble.Roots(t)
			conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 30 * time.Second}, "tcp", pebble.TLSAddr(),
				&tls.Config{ServerName: host, RootCAs: roots})
			if err != nil {
				t.Fatalf("TLS handshake with %s verified against pebble's root: %v", host, err)
			}
			defer conn.Close()
			leaf := conn.ConnectionState().PeerCertificates[0]
			if !slices.Contains(leaf.DNSNames, host) {
				t.Errorf("certificate DNS names = %q, want %q", leaf.DNSNames, host)
			}
			if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots,
				Intermediates: pool(conn.ConnectionState().PeerCertificates[1:])}); err != nil {
				t.Errorf("verify leaf: %v", err)
			}
			// A pool without pebble's root must not verify it: the check
			// above is not vacuous.
			if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: x509.NewCertPool()}); err == nil {
				t.Error("leaf verifies against an empty pool, want an error")
			}
		})
	}
}

func pool(certs []*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}
