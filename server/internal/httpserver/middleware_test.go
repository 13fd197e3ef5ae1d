package httpserver

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// TestRequestIDIsEchoedAndLogged checks that the id a caller sends, or the
// one made for it, is the one in the answer and in the log lines of the
// access log and of a recovered panic.
func TestRequestIDIsEchoedAndLogged(t *testing.T) {
	gin.SetMode(gin.TestMode)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := New(Options{Logger: logger, Registry: prometheus.NewRegistry()})
	e.GET("/panic", func(*gin.Context) { panic("boom") })
	for _, c := range []struct{ path, sent string }{
		{"/healthz", "lb-1234"},
		{"/healthz", ""},
		{"/healthz", "bad id with spaces"},
		{"/panic", "lb-5678"},
	} {
		logs.Reset()
		req := httptest.NewRequest(http.MethodGet, c.path, nil)
		if c.sent != "" {
			req.Header.Set("X-Request-ID", c.sent)
		}
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		id := w.Header().Get("X-Request-ID")
		switch {
		case c.sent == "lb-1234" || c.sent == "lb-5678":
			if id != c.sent {
				t.Errorf("%s with id %q: answered %q", c.path, c.sent, id)
			}
		case !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(id):
			t.Errorf("%s with id %q: answered %q, want a new 16-hex id", c.path, c.sent, id)
		}
		want := 1
		if c.path == "/panic" {
			want = 2 // the recovered panic, then the access log
		}
		if got := strings.Count(logs.String(), "request_id="+id); got != want {
			t.Errorf("%s: %d log lines carry request_id=%s, want %d:\n%s", c.path, got, id, want, logs.String())
		}
	}
}
