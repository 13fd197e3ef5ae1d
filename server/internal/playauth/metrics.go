package playauth

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	decisions *prometheus.CounterVec
	latency   prometheus.Histogram
	fallbacks prometheus.Counter
}

// newMetrics registers the play-auth metrics on r (nil: unregistered).
func newMetrics(r *prometheus.Registry, t *tracker, w *writer, now func() time.Time) *metrics {
	m := &metrics{
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "canale_playauth_decisions_total", Help: "Play and publish authorization decisions by result and reason.",
		}, []string{"result", "reason"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "canale_playauth_decision_seconds", Help: "Time to decide one authorization request, admission included.",
			Buckets: []float64{.00001, .00005, .0001, .0005, .001, .005, .01, .05, .1, .5, 1, 2.5},
		}),
		fallbacks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "canale_playauth_admission_fallbacks_total", Help: "Session admissions decided from this instance's memory because the database was away.",
		}),
	}
	if r == nil {
		return m
	}
	active := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "canale_playauth_active_sessions", Help: "Live play sessions this instance has seen checked.",
	}, func() float64 { return float64(t.live(now())) })
	pending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "canale_playauth_pending_session_writes", Help: "Session states waiting to be written to the database.",
	}, func() float64 { return float64(w.pending()) })
	dropped := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "canale_playauth_dropped_session_writes_total", Help: "Session states dropped because the write queue was full.",
	}, func() float64 { return float64(w.dropped.Load()) })
	r.MustRegister(m.decisions, m.latency, m.fallbacks, active, pending, dropped)
	return m
}

func (m *metrics) observe(d Decision, took time.Duration) {
	result := "deny"
	if d.Allow {
		result = "allow"
	}
	m.decisions.WithLabelValues(result, string(d.Reason)).Inc()
	m.latency.Observe(took.Seconds())
}
