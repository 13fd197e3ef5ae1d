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
	// lastStreams is the last successful listing and memos its streams'
	// memory in the same order, for the common poll that lists the same
	// streams again (see succeeded).
	lastStreams []flussonic.Stream
	memos       []streamMemo
	// spare is the listing before last, whose memory the next is read into.
	spare []flussonic.Stream
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
		streams, err = t.Source.AppendStreams(pctx, w.spare[:0])
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
	w.hist.recordServer(now, ServerSample{At: now, Up: false})
}

func (w *worker) succeeded(now time.Time, stats flussonic.ServerStats, streams []flussonic.Stream) {
	id := w.target.StreamerID
	w.failures = 0
	if w.health != HealthUp {
		w.health = HealthUp
		w.p.log.Info("streamer up", "streamer_id", id, "version", stats.Version)
		w.p.cfg.Publisher.Publish(Event{Type: StreamerUp, StreamerID: id, At: now})
	}
	byName := w.last.Streams
	if sameNames(w.lastStreams, streams) {
		// The usual poll: the streamer lists the same streams in the same
		// order (Flussonic sorts by name) as last time, so each is looked
		// up by position, and the published map is reused while no
		// stream's figures changed.
		if w.streamChanges(now, streams) {
			byName = streamMap(streams)
		}
		w.hist.recordSame(now, streams)
	} else {
		byName = streamMap(streams)
		w.streamTransitions(now, byName)
		w.hist.record(now, streams)
		w.hist.forget(byName)
		w.memos = w.memos[:0]
		for _, s := range streams {
			w.memos = append(w.memos, w.streams[s.Name])
		}
	}
	w.spare, w.lastStreams = w.lastStreams, streams
	st := &StreamerState{ID: id, Health: HealthUp, PolledAt: now, UpdatedAt: now, Stats: stats, Streams: byName}
	w.last = st
	w.p.store(id, st)
	w.hist.recordServer(now, ServerSample{At: now, Up: true, CPU: stats.CPU, Memory: stats.Memory,
		Clients: stats.Clients, InputKbps: stats.InputKbps, OutputKbps: stats.OutputKbps})
}

// sameNames reports whether two listings name the same streams in the same
// order. The client reuses name strings between polls, so each comparison
// usually stops at equal pointers.
func sameNames(a, b []flussonic.Stream) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name {
			return false
		}
	}
	return true
}

func streamMap(streams []flussonic.Stream) map[string]flussonic.Stream {
	m := make(map[string]flussonic.Stream, len(streams))
	for _, s := range streams {
		m[s.Name] = s
	}
	return m
}

// streamChanges publishes the transitions of a listing with the same names
// as the last (see succeeded) and reports whether any stream changed.
func (w *worker) streamChanges(now time.Time, streams []flussonic.Stream) bool {
	changed := false
	for i, s := range streams {
		if s == w.lastStreams[i] {
			continue
		}
		changed = true
		m := w.memo(s)
		w.publishTransitions(now, s, w.memos[i], m)
		w.memos[i] = m
		w.streams[s.Name] = m
	}
	return changed
}

func (w *worker) memo(s flussonic.Stream) streamMemo {
	return streamMemo{healthy: s.Healthy(), erroring: s.InputErrors > w.p.cfg.InputErrorThreshold}
}

// streamTransitions publishes stream changes since the last successful poll.
// A stream first seen healthy and clean is news to no one, so only a first
// sighting that is down or erroring is published.
func (w *worker) streamTransitions(now time.Time, streams map[string]flussonic.Stream) {
	for name, s := range streams {
		m := w.memo(s)
		prev, known := w.streams[name]
		if !known {
			prev = streamMemo{healthy: true}
		}
		w.publishTransitions(now, s, prev, m)
		w.streams[name] = m
	}
	for name := range w.streams {
		if _, ok := streams[name]; !ok {
			delete(w.streams, name) // removed from the streamer: not an outage
		}
	}
}

func (w *worker) publishTransitions(now time.Time, s flussonic.Stream, prev, m streamMemo) {
	id, name := w.target.StreamerID, s.Name
	pub := w.p.cfg.Publisher
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
}
