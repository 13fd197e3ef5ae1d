package stalker

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// request is one portal call: its parameters and the box it comes from.
type request struct {
	c   *gin.Context
	mac string // normalized; "" when missing or malformed
	now time.Time

	ip       string // addr's, once read
	addrRead bool

	query  []queryPair // the decoded query, on first use
	parsed bool
	room   [12]queryPair
	sess   session // the call's session, kept here to spare an allocation
	raw    rawJSON // an answer encoded by hand, and room for its bytes
	buf    [320]byte
}

// param reads a parameter from the query, else from a form body (§1.2).
// The query is decoded once into the request's own room rather than a
// map: a box calls for every keypress, and each call reads several.
func (q *request) param(name string) string {
	if p, ok := q.queryParam(name); ok {
		return p.decoded()
	}
	if q.c.Request.Method == http.MethodGet {
		return ""
	}
	return q.c.PostForm(name)
}

// appendParam appends param(name) to dst, from the query without building
// a string (create_link's cmd is escaped, and read on every zap).
func (q *request) appendParam(dst []byte, name string) []byte {
	if p, ok := q.queryParam(name); ok {
		return p.appendDecoded(dst)
	}
	return append(dst, q.param(name)...)
}

func (q *request) queryParam(name string) (queryPair, bool) {
	if !q.parsed {
		q.query, q.parsed = appendQuery(q.room[:0], q.c.Request.URL.RawQuery), true
	}
	for _, p := range q.query {
		if p.key == name {
			return p, true
		}
	}
	return queryPair{}, false
}

// addr is the client's address (Gin's ClientIP, so the trusted-proxy
// rules of the HTTP edge apply), worked out on first use.
func (q *request) addr() string {
	if !q.addrRead {
		q.ip, q.addrRead = q.c.ClientIP(), true
	}
	return q.ip
}

// requests are the calls' request values, reused: with the room for its
// query and its session one is over a kilobyte, allocated on every call.
// Nothing an action returns points into it (its answer is written before
// the request goes back to the pool).
var requests = sync.Pool{New: func() any { return new(request) }}

// deviceMAC is the box's MAC from the mac cookie, else the query (§1.3),
// normalized; "" when absent or malformed. The cookie as boxes send it is
// decoded in place and, for a box in the device cache, answered with the
// cache's own string.
func (a *API) deviceMAC(c *gin.Context) string {
	raw := rawCookie(c.Request.Header, "mac")
	var mac [17]byte
	if escapedMAC(raw, &mac) {
		return a.devices.macString(mac[:])
	}
	if strings.Contains(raw, "%") {
		if u, err := url.QueryUnescape(raw); err == nil {
			raw = u
		} else {
			raw = ""
		}
	}
	if raw == "" {
		raw, _ = queryValue(c.Request.URL.RawQuery, "mac")
	}
	if canonicalMAC(raw) {
		return raw
	}
	mac2, _ := api.NormalizeMAC(raw)
	return mac2
}

// canonicalMAC reports whether mac is already in api.NormalizeMAC's form
// (boxes send it so), which spares building it again on every call.
func canonicalMAC(mac string) bool {
	if len(mac) != 17 {
		return false
	}
	for i := 0; i < 17; i++ {
		c := mac[i]
		if i%3 == 2 {
			if c != ':' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// bearer is the session token from the Authorization header.
func bearer(c *gin.Context) string {
	if t, ok := strings.CutPrefix(firstHeader(c.Request.Header, "Authorization"), "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
}
