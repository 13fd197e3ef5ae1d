package playauth

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	decisions *prometheus.CounterVec
	// counters holds the decisions' counters of every known reason, resolved
	// once: looking a label pair up hashes both strings on every request.
	// Read-only after newMetrics.
	counters  map[Reason][2]prometheus.Counter // [deny, allow]
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
	m.counters = map[Reason][2]prometheus.Counter{}
	for reason := range titles {
		m.counters[reason] = [2]prometheus.Counter{m.decisions.WithLabelValues("deny", string(reason)), m.decisions.WithLabelValues("allow", string(reason))}
	}
	m.counters[ReasonOK] = [2]prometheus.Counter{m.decisions.WithLabelValues("deny", string(ReasonOK)), m.decisions.WithLabelValues("allow", string(ReasonOK))}
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

func (m *metrics) observe(d *Decision, took time.Duration) {
	allow := 0
	if d.Allow {
		allow = 1
	}
	if c, ok := m.counters[d.Reason]; ok {
		c[allow].Inc()
	} else {
		m.decisions.WithLabelValues([2]string{"deny", "allow"}[allow], string(d.Reason)).Inc()
	}
	m.latency.Observe(took.Seconds())
}

// registerRefusals counts the refused plays that were not recorded (nil
// registry: unregistered).
func (m *metrics) registerRefusals(r *prometheus.Registry, dropped func() int64) {
	if r == nil {
		return
	}
	r.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "canale_playauth_dropped_refusals_total", Help: "Refused plays not recorded because the refusal queue was full or the database refused them.",
	}, func() float64 { return float64(dropped()) }))
}
