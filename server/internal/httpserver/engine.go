package httpserver

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"time"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Readiness reports whether this instance can serve: database reachable,
// migrations applied.
type Readiness interface {
	Ping(ctx context.Context) error
	PendingMigrations(ctx context.Context) ([]string, error)
}

// Surface is a protocol surface mounted at a prefix of the engine.
type Surface interface {
	Register(r *gin.RouterGroup)
}

// Mount pairs a surface with the prefix it serves.
type Mount struct {
	Prefix  string
	Surface Surface
}

// Options configure the engine.
type Options struct {
	Logger   *slog.Logger
	Registry *prometheus.Registry
	Ready    Readiness
	Version  string
	Mounts   []Mount
	// TrustedProxies may set X-Forwarded-For and X-Forwarded-Proto;
	// nobody else can.
	TrustedProxies []netip.Prefix
	// MetricsGuard admits callers of /metrics on this engine; nil leaves
	// /metrics off it (it has a listener of its own, see MetricsHandler).
	MetricsGuard []gin.HandlerFunc
}

// New builds the engine by hand (not gin.Default) so the access log is slog
// and recovery logs through it too.
func New(o Options) *gin.Engine {
	e := gin.New()
	e.ContextWithFallback = true // handlers pass c as a context.Context and get the request's
	e.HandleMethodNotAllowed = true
	// Route on the path as sent, then unescape each parameter: an XC
	// password holding "/" travels as %2F in /live/U/P/ID.ts and must stay
	// one segment, not become two and a 404.
	e.UseRawPath = true
	e.UnescapePathValues = true
	px := proxies(o.TrustedProxies)
	if err := px.configure(e); err != nil {
		o.Logger.Error("trusted proxies; trusting none", "error", err)
		_ = proxies(nil).configure(e)
		px = nil
	}
	m := newMetrics(o.Registry)
	e.Use(requestID, accessLog(o.Logger, m), recovery(o.Logger), px.trustForwarding, limitBody)
	e.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, api.Health{Status: "ok", Version: o.Version}) })
	e.GET("/readyz", readyHandler(o.Ready, o.Version))
	if o.MetricsGuard != nil {
		e.GET("/metrics", slices.Concat(o.MetricsGuard, []gin.HandlerFunc{gin.WrapH(MetricsHandler(o.Registry))})...)
	}
	for _, mt := range o.Mounts {
		mt.Surface.Register(e.Group(mt.Prefix))
	}
	return e
}

// MetricsHandler serves GET /metrics from the registry in Prometheus' text
// format and 404 for any other path; the listener of CANALE_METRICS_ADDR
// serves nothing else.
func MetricsHandler(r *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(r, promhttp.HandlerOpts{Registry: r}))
	return mux
}

func readyHandler(r Readiness, version string) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		h := api.Health{Status: "ok", Database: "ok", Migrations: "ok", Version: version}
		if err := r.Ping(ctx); err != nil {
			h.Status, h.Database = "unavailable", api.ErrorMessage(err) // the cause (an address, a port) is for the log, not the wire
		} else if pending, err := r.PendingMigrations(ctx); err != nil || len(pending) > 0 {
			h.Status, h.Migrations = "unavailable", "pending"
		}
		status := http.StatusOK
		if h.Status != "ok" {
			status = http.StatusServiceUnavailable
		}
		c.JSON(status, h)
	}
}
