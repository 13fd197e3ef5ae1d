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

// metricsEngine is an engine New built over a registry of its own, and a
// function that serves one request on it.
func metricsEngine(t *testing.T) (*gin.Engine, *prometheus.Registry, func(method, path string)) {
	gin.SetMode(gin.TestMode)
	reg := prometheus.NewRegistry()
	e := New(Options{Logger: slog.New(slog.DiscardHandler), Registry: reg})
	return e, reg, func(method, path string) {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, path, nil))
	}
}

// counts returns the value of each series of canale_http_requests_total
// by route, method and status, and how many series name has.
func counts(t *testing.T, reg *prometheus.Registry, name string) (map[[3]string]float64, int) {
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out, n := map[[3]string]float64{}, 0
	for _, f := range families {
		if f.GetName() == name {
			n = len(f.GetMetric())
		}
		if f.GetName() != "canale_http_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			out[[3]string{labels["route"], labels["method"], labels["status"]}] = m.GetCounter().GetValue()
		}
	}
	return out, n
}

// TestMetricsSeriesCached: requests are counted per route template, method
// and status whether their series come from the cache or, past its bound,
// from the vectors, and each request lands in its own series only; a
// recovered panic counts as the 500 it answered.
func TestMetricsSeriesCached(t *testing.T) {
	e, reg, serve := metricsEngine(t)
	e.GET("/items/:id", func(c *gin.Context) {
		if c.Param("id") == "missing" {
			c.Status(http.StatusNotFound)
			return
		}
		c.Status(http.StatusOK)
	})
	e.GET("/panic", func(*gin.Context) { panic("boom") })
	for i := range 5 {
		serve(http.MethodGet, fmt.Sprintf("/items/%d", i))
	}
	serve(http.MethodGet, "/panic")
	serve(http.MethodGet, "/items/missing")
	serve(http.MethodGet, "/nowhere")
	serve("INVENTED", "/nowhere")
	// Fill the cache to its bound with routes, then count more.
	defer func(bound int) { maxCachedSeries = bound }(maxCachedSeries)
	maxCachedSeries = 16
	for i := range maxCachedSeries + 10 {
		e.GET(fmt.Sprintf("/filler/%d", i), func(c *gin.Context) { c.Status(http.StatusNoContent) })
		serve(http.MethodGet, fmt.Sprintf("/filler/%d", i))
	}
	serve(http.MethodGet, "/items/7")
	serve(http.MethodGet, "/filler/20")
	serve(http.MethodGet, "/filler/20")
	got, _ := counts(t, reg, "canale_http_requests_total")
	for _, c := range []struct {
		route, method, status string
		want                  float64
	}{
		{"/items/:id", "GET", "200", 6},
		{"/items/:id", "GET", "404", 1},
		{"/panic", "GET", "500", 1}, // recovered, and counted as answered
		{"unmatched", "GET", "404", 1},
		{"unmatched", "OTHER", "404", 1},
		{"/filler/3", "GET", "204", 1},
		{"/filler/20", "GET", "204", 3},
	} {
		if v := got[[3]string{c.route, c.method, c.status}]; v != c.want {
			t.Errorf("canale_http_requests_total{route=%q,method=%q,status=%q} = %v, want %v", c.route, c.method, c.status, v, c.want)
		}
	}
}

// TestMetricsMethodLabelBounded is the attack: net/http accepts any token
// as a method, and a client inventing a new one per request must not add a
// series per request to the metrics (each one is memory kept for good, and
// a scrape that grows without end). Methods outside the standard ones are
// counted under one label.
func TestMetricsMethodLabelBounded(t *testing.T) {
	_, reg, serve := metricsEngine(t)
	for i := range 500 {
		serve(fmt.Sprintf("X%d", i), "/healthz")
	}
	for _, name := range []string{"canale_http_requests_total", "canale_http_request_duration_seconds"} {
		if _, n := counts(t, reg, name); n > 5 {
			t.Errorf("%s has %d series after 500 invented methods, want a handful", name, n)
		}
	}
}
