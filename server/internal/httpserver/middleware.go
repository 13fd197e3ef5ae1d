package httpserver

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

// requestID takes a sane X-Request-ID from the caller (a load balancer) or
// makes one, and echoes it so a report can be matched to the log line. The
// answer's header is where RequestID reads it back: gin's c.Set would make
// a map for every request, a third of the garbage of a play check.
func requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if len(id) == 0 || len(id) > 64 || !printable(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Header("X-Request-ID", id)
	c.Next()
}

// RequestID is the id of the request c answers, for log lines.
func RequestID(c *gin.Context) string {
	return c.Writer.Header().Get("X-Request-ID")
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// accessLog logs one line per request. It logs the path without the query
// string: query strings carry playback tokens and XC passwords.
func accessLog(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		level := levelFor(c.Writer.Status())
		if !logger.Enabled(c.Request.Context(), level) {
			return // building the attributes costs more than the hot paths' own work
		}
		logger.LogAttrs(c.Request.Context(), level, "http request",
			slog.String("request_id", RequestID(c)),
			slog.Group("request", slog.String("method", c.Request.Method), slog.String("route", c.FullPath()),
				slog.String("client_ip", c.ClientIP())),
			slog.Group("response", slog.Int("status", c.Writer.Status()), slog.Int("bytes", c.Writer.Size()),
				slog.Duration("duration", time.Since(start))))
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
