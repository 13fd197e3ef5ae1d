package httpserver

import (
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

// requestIDHeader is X-Request-ID as net/http stores it. The maps are read
// and written under it directly: Header.Get and Set would canonicalise
// "X-Request-ID" on every request, an allocation each, since that is not
// its canonical form.
const requestIDHeader = "X-Request-Id"

// requestID takes a sane X-Request-ID from the caller (a load balancer) or
// makes one, and echoes it so a report can be matched to the log line. The
// answer's header is where RequestID reads it back: gin's c.Set would make
// a map for every request, a third of the garbage of a play check.
func requestID(c *gin.Context) {
	var id string
	if v := c.Request.Header[requestIDHeader]; len(v) > 0 {
		id = v[0]
	}
	if len(id) == 0 || len(id) > 64 || !printable(id) {
		id = newRequestID()
	}
	c.Writer.Header()[requestIDHeader] = []string{id}
	c.Next()
}

// newRequestID is 16 hex digits from the runtime's per-thread generator:
// an id only has to tell requests apart in the logs, and crypto/rand would
// be a system call on every request of the hot paths.
func newRequestID() string {
	var n [8]byte
	var b [16]byte
	binary.BigEndian.PutUint64(n[:], rand.Uint64())
	hex.Encode(b[:], n[:])
	return string(b[:])
}

// RequestID is the id of the request c answers, for log lines.
func RequestID(c *gin.Context) string {
	if v := c.Writer.Header()[requestIDHeader]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// accessLog logs one line per request and counts it in the metrics. It
// logs the path without the query string: query strings carry playback
// tokens and XC passwords. One middleware does both so a request reads
// the clock twice, not four times: on a loaded virtual machine a reading
// costs up to a few hundred nanoseconds. It sits outside recovery, so a
// recovered panic is counted as the 500 it answered.
func accessLog(logger *slog.Logger, m *metrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		took := time.Since(start)
		m.observe(c, took)
		level := levelFor(c.Writer.Status())
		if !logger.Enabled(c.Request.Context(), level) {
			return // building the attributes costs more than the hot paths' own work
		}
		logger.LogAttrs(c.Request.Context(), level, "http request",
			slog.String("request_id", RequestID(c)),
			slog.Group("request", slog.String("method", c.Request.Method), slog.String("route", c.FullPath()),
				slog.String("client_ip", c.ClientIP())),
			slog.Group("response", slog.Int("status", c.Writer.Status()), slog.Int("bytes", c.Writer.Size()),
				slog.Duration("duration", took)))
	}
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelWarn
	}
	return slog.LevelDebug
}

// recovery turns a panic into a 500 and a logged stack, keeping the process up.
func recovery(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r) // the client went away; net/http handles this one quietly
				}
				logger.ErrorContext(c.Request.Context(), "panic in handler", "error", r,
					"request_id", RequestID(c), "stack", string(debug.Stack()))
				c.AbortWithStatusJSON(http.StatusInternalServerError,
					gin.H{"error": gin.H{"code": "internal", "message": "internal error"}})
			}
		}()
		c.Next()
	}
}
