package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

// forging adds headers to every request, as a client that lies about its
// address and scheme (or a proxy that reports them) would.
type forging struct{ header http.Header }

func (f forging) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range f.header {
		r.Header[k] = v
	}
	return http.DefaultTransport.RoundTrip(r)
}

// auditedIP signs in through headers h, makes a change, and returns the
// client address the audit log recorded for it.
func auditedIP(t *testing.T, srv *testserver.Server, h http.Header) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := client.New(srv.URL, &http.Client{Transport: forging{h}, Timeout: 10 * time.Second})
	if _, err := c.Login(ctx, "admin", testserver.AdminPassword); err != nil {
		t.Fatal(err)
	}
	cat, err := c.CreateCategory(ctx, api.Category{Kind: "live", Name: "forged " + strconv.FormatInt(time.Now().UnixNano(), 10)})
	if err != nil {
		t.Fatal(err)
	}
	entriesPage, err := srv.Admin.Audit(ctx, api.AuditFilter{Entity: "category"}, api.ListParams{Limit: 10})
	entries := entriesPage.Items
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.EntityID == strconv.FormatInt(cat.ID, 10) {
			return e.ClientIP
		}
	}
	t.Fatalf("no audit entry for category %d in %+v", cat.ID, entries)
	return ""
}

// cookieSecure fetches the portal's sign-in page through headers h and
// reports whether the cookie it sets is Secure.
func cookieSecure(t *testing.T, srv *testserver.Server, h http.Header) bool {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/login", nil)
	req.Header = h.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookie := resp.Header.Get("Set-Cookie")
	if cookie == "" {
		t.Fatalf("GET /login set no cookie (status %d)", resp.StatusCode)
	}
	return strings.Contains(cookie, "Secure")
}

var forged = http.Header{
	"X-Forwarded-For":   {"203.0.113.9"},
	"X-Real-Ip":         {"203.0.113.10"},
	"X-Forwarded-Proto": {"https"},
}

// TestForgedForwardingHeadersAreIgnored is the attack: with no proxy
// configured, a client that writes X-Forwarded-For, X-Real-IP or
// X-Forwarded-Proto itself must not choose the address that rate limits and
// the audit log see, nor the scheme that makes cookies Secure.
func TestForgedForwardingHeadersAreIgnored(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	if got := auditedIP(t, srv, forged); got != "127.0.0.1" {
		t.Errorf("audited client address: got %q, want the TCP peer 127.0.0.1", got)
	}
	if cookieSecure(t, srv, forged) {
		t.Error("a forged X-Forwarded-Proto: https made the portal cookie Secure over plain http")
	}
}

// TestTrustedProxyForwardingHeaders: behind a configured proxy the same
// headers are its word, and only the addresses it appended count.
func TestTrustedProxyForwardingHeaders(t *testing.T) {
	t.Parallel()
	srv := testserver.StartWith(t, "--trusted-proxies", "127.0.0.0/8")
	if got := auditedIP(t, srv, forged); got != "203.0.113.9" {
		t.Errorf("audited client address behind the proxy: got %q, want 203.0.113.9", got)
	}
	// The client wrote 198.51.100.1 itself; the proxy appended what it saw.
	chain := http.Header{"X-Forwarded-For": {"198.51.100.1, 203.0.113.9"}}
	if got := auditedIP(t, srv, chain); got != "203.0.113.9" {
		t.Errorf("audited client address with a forged hop: got %q, want 203.0.113.9", got)
	}
	if !cookieSecure(t, srv, forged) {
		t.Error("the trusted proxy's X-Forwarded-Proto: https did not make the portal cookie Secure")
	}
	// X-Real-IP is not a proxy header here: nginx edges send it on their
	// auth_request calls to name their viewer, and an edge inside the
	// trusted range must still be known by its own address.
	viewer := http.Header{"X-Real-Ip": {"203.0.113.10"}}
	if got := auditedIP(t, srv, viewer); got != "127.0.0.1" {
		t.Errorf("audited client address with only X-Real-IP from a trusted peer: got %q, want the peer 127.0.0.1", got)
	}
}
