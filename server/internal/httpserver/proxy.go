package httpserver

import (
	"net/netip"
	"strings"

	"github.com/gin-gonic/gin"
)

// proxies are the reverse proxies (nginx, haproxy, a CDN) whose forwarding
// headers are believed. Gin weighs X-Forwarded-For in c.ClientIP, the one
// place every surface takes a client's address from (X-Real-IP is not a
// proxy header here: nginx edges send it on auth_request to name their
// viewer, and an edge inside the trusted range must be known by its own
// address, see playauth's handleNginxAuth);
// trustForwarding makes X-Forwarded-Proto and X-Forwarded-Host follow the
// same rule. With none configured, the address is the TCP peer's and the
// scheme is the connection's, whatever a client writes in its headers.
type proxies []netip.Prefix

// configure sets e to believe forwarding headers from p only. Gin's default
// believes them from everyone.
func (p proxies) configure(e *gin.Engine) error {
	e.ForwardedByClientIP = true
	e.RemoteIPHeaders = []string{"X-Forwarded-For"}
	var cidrs []string // nil trusts no proxy at all
	for _, pr := range p {
		cidrs = append(cidrs, pr.String())
	}
	return e.SetTrustedProxies(cidrs)
}

// trusts reports whether the TCP peer remoteAddr ("ip:port") is a proxy.
func (p proxies) trusts(remoteAddr string) bool {
	ap, err := netip.ParseAddrPort(remoteAddr)
	if err != nil {
		return false
	}
	a := ap.Addr().Unmap()
	for _, pr := range p {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

// trustForwarding drops the X-Forwarded-Proto and X-Forwarded-Host that a
// client sent itself, so code downstream (Secure cookies, links built from
// the request) can read them as a proxy's word. Requests without them, the
// hot paths', cost a map lookup.
func (p proxies) trustForwarding(c *gin.Context) {
	h := c.Request.Header
	if (h["X-Forwarded-Proto"] != nil || h["X-Forwarded-Host"] != nil) && !p.trusts(c.Request.RemoteAddr) {
		delete(h, "X-Forwarded-Proto")
		delete(h, "X-Forwarded-Host")
	}
	c.Next()
}

// ClientIP is c.ClientIP() on an engine New built, without its two
// allocations in the common case of the hot paths: a request that carries
// no X-Forwarded-For, from an IPv4 peer. Gin then answers the peer's
// address in canonical form, which for IPv4 is the dotted quad as it
// stands in RemoteAddr (netip refuses any other spelling). Anything else
// is gin's to answer.
func ClientIP(c *gin.Context) string {
	addr := c.Request.RemoteAddr
	if c.Request.Header["X-Forwarded-For"] == nil {
		if ap, err := netip.ParseAddrPort(addr); err == nil && ap.Addr().Is4() {
			return addr[:strings.LastIndexByte(addr, ':')]
		}
	}
	return c.ClientIP()
}
