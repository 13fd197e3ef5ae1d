package httpserver

import (
	"fmt"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// TestMetricsMethodLabelBounded is the attack: net/http accepts any token
// as a method, and a client inventing a new one per request must not add a
// series per request to the metrics (each one is memory kept for good, and
// a scrape that grows without end). Methods outside the standard ones are
// counted under one label.
func TestMetricsMethodLabelBounded(t *testing.T) {
	gin.SetMode(gin.TestMode)
	reg := prometheus.NewRegistry()
	e := New(Options{Logger: slog.New(slog.DiscardHandler), Registry: reg})
	for i := range 500 {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(fmt.Sprintf("X%d", i), "/healthz", nil))
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if n := len(f.GetMetric()); (f.GetName() == "canale_http_requests_total" || f.GetName() == "canale_http_request_duration_seconds") && n > 5 {
			t.Errorf("%s has %d series after 500 invented methods, want a handful", f.GetName(), n)
		}
	}
}
