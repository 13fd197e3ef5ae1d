package fleet

import (
	"context"
	"time"

	"canale/server/internal/flussonic"
)

// streamMemo is what the worker remembers of a stream to spot transitions.
type streamMemo struct {
	healthy  bool
	erroring bool
}

// worker polls one streamer. Its transition memory is touched only under
// pollMu, so each transition is seen, and published, by one poll only.
type worker struct {
	p      *Poller
	hist   *history
	wake   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}

	pollMu   chan struct{} // a one-slot semaphore: one poll at a time
	target   Target
	health   Health
	failures int
	streams  map[string]streamMemo
	last     *StreamerState
}

func newWorker(p *Poller, t Target) *worker {
	return &worker{p: p, target: t, health: HealthUnknown, streams: map[string]streamMemo{},
		hist: newHistory(p.cfg.HistoryWindow, p.cfg.HistoryStep), wake: make(chan struct{}, 1),
		pollMu: make(chan struct{}, 1), last: &StreamerState{ID: t.StreamerID, Health: HealthUnknown}}
}

func (w *worker) lock()   { w.pollMu <- struct{}{} }
func (w *worker) unlock() { <-w.pollMu }

func (w *worker) retarget(t Target) {
	w.lock()
	w.target = t
	w.unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *worker) start(ctx context.Context) {
	ctx, w.cancel = context.WithCancel(ctx)
	w.done = make(chan struct{})
	go w.loop(ctx)
}

func (w *worker) stop() {
	if w.cancel != nil {
		w.cancel()
		<-w.done
		w.cancel = nil
	}
}

// loop polls at once, then after each poll waits the interval, or the
// backoff while the streamer fails.
func (w *worker) loop(ctx context.Context) {
	defer close(w.done)
	for {
		delay := w.poll(ctx)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// poll asks the streamer once and returns the delay until the next poll.
func (w *worker) poll(ctx context.Context) time.Duration {
	w.lock()
	defer w.unlock()
	t := w.target
	pctx, cancel := context.WithTimeout(ctx, t.Timeout)
	stats, err := t.Source.ServerStats(pctx)
	var streams []flussonic.Stream
	if err == nil {
		streams, err = t.Source.Streams(pctx)
	}
	cancel()
	if ctx.Err() != nil {
		return t.Interval // shutting down: not the streamer's fault
	}
	now := w.p.cfg.Now()
	if err != nil {
		w.failed(now, err)
		return backoff(t.Interval, w.failures, w.p.cfg.MaxBackoff)
	}
	w.succeeded(now, stats, streams)
	return t.Interval
}

// backoff doubles the interval for each failure in a row, up to max.
func backoff(interval time.Duration, failures int, max time.Duration) time.Duration {
	d := interval
	for i := 0; i < failures && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

func (w *worker) failed(now time.Time, err error) {
	w.failures++
	id := w.target.StreamerID
	st := *w.last
	st.Failures, st.LastError, st.PolledAt = w.failures, err.Error(), now
	if w.failures >= w.p.cfg.DownAfter && w.health != HealthDown {
		w.health = HealthDown
		w.p.log.Warn("streamer down", "streamer_id", id, "error", err)
		w.p.cfg.Publisher.Publish(Event{Type: StreamerDown, StreamerID: id, At: now, Error: err.Error()})
	}
	st.Health = w.health
	w.last = &st
	w.p.store(id, &st)
	w.hist.record(now, ServerSample{At: now, Up: false}, nil)
}

func (w *worker) succeeded(now time.Time, stats flussonic.ServerStats, streams []flussonic.Stream) {
	id := w.target.StreamerID
	w.failures = 0
	if w.health != HealthUp {
		w.health = HealthUp
		w.p.log.Info("streamer up", "streamer_id", id, "version", stats.Version)
		w.p.cfg.Publisher.Publish(Event{Type: StreamerUp, StreamerID: id, At: now})
	}
	byName := make(map[string]flussonic.Stream, len(streams))
	for _, s := range streams {
		byName[s.Name] = s
	}
	w.streamTransitions(now, byName)
	st := &StreamerState{ID: id, Health: HealthUp, PolledAt: now, UpdatedAt: now, Stats: stats, Streams: byName}
	w.last = st
	w.p.store(id, st)
	w.hist.record(now, ServerSample{At: now, Up: true, CPU: stats.CPU, Memory: stats.Memory,
		Clients: stats.Clients, InputKbps: stats.InputKbps, OutputKbps: stats.OutputKbps}, streams)
	w.hist.forget(byName)
}

// streamTransitions publishes stream changes since the last successful poll.
// A stream first seen healthy and clean is news to no one, so only a first
// sighting that is down or erroring is published.
func (w *worker) streamTransitions(now time.Time, streams map[string]flussonic.Stream) {
	id := w.target.StreamerID
	pub := w.p.cfg.Publisher
	for name, s := range streams {
		m := streamMemo{healthy: s.Healthy(), erroring: s.InputErrors > w.p.cfg.InputErrorThreshold}
		prev, known := w.streams[name]
		if !known {
			prev = streamMemo{healthy: true}
		}
		switch {
		case prev.healthy && !m.healthy:
			pub.Publish(Event{Type: StreamDown, StreamerID: id, Stream: name, At: now})
		case !prev.healthy && m.healthy:
			pub.Publish(Event{Type: StreamUp, StreamerID: id, Stream: name, At: now})
		}
		switch {
		case !prev.erroring && m.erroring:
			pub.Publish(Event{Type: InputErrors, StreamerID: id, Stream: name, At: now, InputErrors: s.InputErrors})
		case prev.erroring && !m.erroring:
			pub.Publish(Event{Type: InputErrorsCleared, StreamerID: id, Stream: name, At: now})
		}
		w.streams[name] = m
	}
	for name := range w.streams {
		if _, ok := streams[name]; !ok {
			delete(w.streams, name) // removed from the streamer: not an outage
		}
	}
}
