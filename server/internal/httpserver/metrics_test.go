package httpserver

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// TestMetricsSeriesCached: requests are counted per route template, method
// and status whether their series come from the cache or, past its bound,
// from the vectors, and each request lands in its own series only.
func TestMetricsSeriesCached(t *testing.T) {
	gin.SetMode(gin.TestMode)
	reg := prometheus.NewRegistry()
	e := New(Options{Logger: slog.New(slog.DiscardHandler), Registry: reg})
	e.GET("/items/:id", func(c *gin.Context) {
		if c.Param("id") == "missing" {
			c.Status(http.StatusNotFound)
			return
		}
		c.Status(http.StatusOK)
	})
	serve := func(method, path string) {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, path, nil))
	}
	for i := range 5 {
		serve(http.MethodGet, fmt.Sprintf("/items/%d", i))
	}
	serve(http.MethodGet, "/items/missing")
	serve(http.MethodGet, "/nowhere")
	serve("INVENTED", "/nowhere")
	// Fill the cache to its bound with routes, then count more.
	for i := range maxCachedSeries + 10 {
		e.GET(fmt.Sprintf("/filler/%d", i), func(c *gin.Context) { c.Status(http.StatusNoContent) })
		serve(http.MethodGet, fmt.Sprintf("/filler/%d", i))
	}
	serve(http.MethodGet, "/items/7")
	serve(http.MethodGet, "/filler/4100")
	serve(http.MethodGet, "/filler/4100")
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	requests := func(route, method, status string) float64 {
		for _, f := range families {
			if f.GetName() != "canale_http_requests_total" {
				continue
			}
			for _, m := range f.GetMetric() {
				labels := map[string]string{}
				for _, l := range m.GetLabel() {
					labels[l.GetName()] = l.GetValue()
				}
				if labels["route"] == route && labels["method"] == method && labels["status"] == status {
					return m.GetCounter().GetValue()
				}
			}
		}
		return 0
	}
	for _, c := range []struct {
		route, method, status string
		want                  float64
	}{
		{"/items/:id", "GET", "200", 6},
		{"/items/:id", "GET", "404", 1},
		{"unmatched", "GET", "404", 1},
		{"unmatched", "OTHER", "404", 1},
		{"/filler/3", "GET", "204", 1},
		{"/filler/4100", "GET", "204", 3},
	} {
		if got := requests(c.route, c.method, c.status); got != c.want {
			t.Errorf("canale_http_requests_total{route=%q,method=%q,status=%q} = %v, want %v", c.route, c.method, c.status, got, c.want)
		}
	}
}
