package httpserver

import (
	"maps"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec

	// series caches the counter and histogram of each route, method and
	// status seen: WithLabelValues hashes every label and takes the
	// vector's read lock, twice a request, and formats the status. The
	// map is never modified once published; a new series copies it under
	// seriesMu. Past maxCachedSeries the vectors are asked directly.
	series   atomic.Pointer[map[seriesKey]routeSeries]
	seriesMu sync.Mutex
}

type seriesKey struct {
	route, method string
	status        int
}

type routeSeries struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

// maxCachedSeries bounds the cache: routes × methods × statuses of a real
// installation are a few hundred (methods are a fixed few, see methodLabel).
// A variable so a test can reach the bound quickly.
var maxCachedSeries = 4096

// NewRegistry returns a registry with the Go runtime and process collectors;
// every component registers its own metrics on it.
func NewRegistry() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

func newMetrics(r *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "canale_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "canale_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
	}
	m.series.Store(&map[seriesKey]routeSeries{})
	r.MustRegister(m.requests, m.latency)
	return m
}

// observe counts the request c answered in took. It labels by route
// template, never the raw path, so tokens and IDs in paths cannot explode
// the number of series.
func (m *metrics) observe(c *gin.Context, took time.Duration) {
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	s := m.of(seriesKey{route: route, method: methodLabel(c.Request.Method), status: c.Writer.Status()})
	s.requests.Inc()
	s.latency.Observe(took.Seconds())
}

// methodLabel is the method as a label: net/http accepts any token as a
// method, and a client inventing one per request would otherwise add a
// series per request, kept for good. The label is a constant, so the cache
// keeps no part of the request line (which holds the query and its token).
func methodLabel(m string) string {
	for _, std := range standardMethods {
		if m == std {
			return std
		}
	}
	return "OTHER"
}

var standardMethods = [...]string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
	http.MethodPatch, http.MethodDelete, http.MethodOptions}

// of returns the series of k, from the cache when it holds them.
func (m *metrics) of(k seriesKey) routeSeries {
	if s, ok := (*m.series.Load())[k]; ok {
		return s
	}
	s := routeSeries{requests: m.requests.WithLabelValues(k.route, k.method, strconv.Itoa(k.status)),
		latency: m.latency.WithLabelValues(k.route, k.method)}
	m.seriesMu.Lock()
	defer m.seriesMu.Unlock()
	if old := *m.series.Load(); len(old) < maxCachedSeries {
		grown := maps.Clone(old)
		grown[k] = s
		m.series.Store(&grown)
	}
	return s
}
