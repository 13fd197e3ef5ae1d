package session

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fingerprint returns the SHA-256 of the certificate's DER bytes as
// colon-separated upper-case hex, the form openssl prints.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	parts := make([]string, 0, len(sum))
	for i := 0; i < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

func sameFingerprint(a, b string) bool {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(strings.TrimSpace(s)))
	}
	return a != "" && norm(a) == norm(b)
}

// verifier checks server certificates: the normal chain check first, then
// the pinned fingerprint, if any. It remembers the last certificate it
// refused, because net/http flattens the error into a string.
type verifier struct {
	roots *x509.CertPool // nil: the system's
	pin   string

	mu      sync.Mutex
	refused *UntrustedCertError
}

func (v *verifier) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("server sent no certificate")
	}
	leaf := cs.PeerCertificates[0]
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{DNSName: cs.ServerName, Roots: v.roots, Intermediates: inter})
	if err == nil || sameFingerprint(v.pin, Fingerprint(leaf)) {
		return nil
	}
	refused := &UntrustedCertError{Host: cs.ServerName, Fingerprint: Fingerprint(leaf), Changed: v.pin != "", Reason: err.Error()}
	v.mu.Lock()
	v.refused = refused
	v.mu.Unlock()
	return refused
}

func (v *verifier) lastRefused() *UntrustedCertError {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.refused
}

// httpClient returns a client whose TLS checks go through v. The chain is
// verified in VerifyConnection rather than by crypto/tls, which is the
// documented way to add a pin while keeping the normal check.
func (v *verifier) httpClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced, not skipped: VerifyConnection checks chain and pin
		VerifyConnection:   v.verify,
	}
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}
