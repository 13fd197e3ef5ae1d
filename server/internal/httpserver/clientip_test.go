package httpserver

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestClientIPIsGins: the allocation-free ClientIP answers what gin's does,
// for IPv4 and IPv6 peers, with and without forwarding headers, from a
// trusted proxy and from anyone else.
func TestClientIPIsGins(t *testing.T) {
	gin.SetMode(gin.TestMode)
	for _, trusted := range [][]netip.Prefix{nil, {netip.MustParsePrefix("10.0.0.0/8")}} {
		e := gin.New()
		if err := proxies(trusted).configure(e); err != nil {
			t.Fatal(err)
		}
		var got, want string
		e.GET("/", func(c *gin.Context) { got, want = ClientIP(c), c.ClientIP() })
		for _, remote := range []string{"192.0.2.1:1234", "10.1.2.3:80", "[2001:db8::1]:443", "[::ffff:192.0.2.7]:80", "bogus", "192.0.2.1"} {
			for _, xff := range []string{"", "198.51.100.9", "198.51.100.9, 10.0.0.5", "not an ip"} {
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				req.RemoteAddr = remote
				if xff != "" {
					req.Header.Set("X-Forwarded-For", xff)
				}
				e.ServeHTTP(httptest.NewRecorder(), req)
				if got != want {
					t.Errorf("trusted %v, peer %q, X-Forwarded-For %q: ClientIP %q, gin %q", trusted, remote, xff, got, want)
				}
			}
		}
	}
}
