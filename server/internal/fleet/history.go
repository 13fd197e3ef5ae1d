package fleet

import (
	"sync"
	"time"

	"canale/server/internal/flussonic"
)

// ServerSample is one point of a streamer's history.
type ServerSample struct {
	At         time.Time `json:"at"`
	Up         bool      `json:"up"`
	CPU        float64   `json:"cpu"`
	Memory     float64   `json:"memory"`
	Clients    int64     `json:"clients"`
	InputKbps  int64     `json:"input_kbps"`
	OutputKbps int64     `json:"output_kbps"`
}

// StreamSample is one point of a stream's history.
type StreamSample struct {
	At          time.Time `json:"at"`
	Healthy     bool      `json:"healthy"`
	InputKbps   int64     `json:"input_kbps"`
	OutputKbps  int64     `json:"output_kbps"`
	Clients     int64     `json:"clients"`
	InputErrors float64   `json:"input_errors"`
}

// streamPoint is StreamSample packed small: a fleet of 200 streamers × 500
// streams keeps 100,000 of these rings.
type streamPoint struct {
	at          int64
	in, out     int32
	clients     int32
	inputErrors float32
	healthy     bool
}

// ring is a fixed-size buffer of the latest values, oldest first.
type ring[T any] struct {
	buf  []T
	next int
	size int
}

func newRing[T any](size int) *ring[T] { return &ring[T]{size: size} }

func (r *ring[T]) push(v T) {
	if len(r.buf) < r.size {
		r.buf = append(r.buf, v) // grow lazily: most streams never fill an hour
		return
	}
	r.buf[r.next] = v
	r.next = (r.next + 1) % r.size
}

// replaceLast overwrites the newest value.
func (r *ring[T]) replaceLast(v T) {
	if len(r.buf) == 0 {
		r.push(v)
		return
	}
	i := (r.next - 1 + len(r.buf)) % len(r.buf)
	if len(r.buf) < r.size {
		i = len(r.buf) - 1
	}
	r.buf[i] = v
}

func (r *ring[T]) items() []T {
	out := make([]T, 0, len(r.buf))
	if len(r.buf) < r.size {
		return append(out, r.buf...)
	}
	out = append(out, r.buf[r.next:]...)
	return append(out, r.buf[:r.next]...)
}

// history keeps one point per step over the window for a streamer and its
// streams; a later poll in the same step replaces the earlier point.
type history struct {
	mu         sync.Mutex
	step       time.Duration
	size       int
	serverStep int64 // step of the newest server point
	streamStep int64 // step of the newest stream points
	server     *ring[ServerSample]
	streams    map[string]*ring[streamPoint]
	// order holds the rings of the last listing in its order, so a
	// listing of the same names is recorded without a lookup per stream.
	order []*ring[streamPoint]
}

func newHistory(window, step time.Duration) *history {
	size := max(int(window/step), 1)
	return &history{step: step, size: size, serverStep: -1, streamStep: -1, server: newRing[ServerSample](size),
		streams: map[string]*ring[streamPoint]{}}
}

// add pushes v, or replaces the newest value when it is of the same step.
func add[T any](r *ring[T], v T, same bool) {
	if same {
		r.replaceLast(v)
	} else {
		r.push(v)
	}
}

func (h *history) recordServer(at time.Time, s ServerSample) {
	h.mu.Lock()
	defer h.mu.Unlock()
	bucket := at.UnixNano() / int64(h.step)
	add(h.server, s, bucket == h.serverStep)
	h.serverStep = bucket
}

// record adds a point to each stream's ring, creating rings for new
// streams, and remembers the rings in the listing's order.
func (h *history) record(at time.Time, streams []flussonic.Stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	same := h.nextStreamStep(at)
	h.order = h.order[:0]
	for _, st := range streams {
		r := h.streams[st.Name]
		if r == nil {
			r = newRing[streamPoint](h.size)
			h.streams[st.Name] = r
		}
		add(r, point(at, st), same)
		h.order = append(h.order, r)
	}
}

// recordSame is record for a listing of the same names, in the same order,
// as the last one recorded.
func (h *history) recordSame(at time.Time, streams []flussonic.Stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	same := h.nextStreamStep(at)
	for i, st := range streams {
		add(h.order[i], point(at, st), same)
	}
}

func (h *history) nextStreamStep(at time.Time) (same bool) {
	bucket := at.UnixNano() / int64(h.step)
	same = bucket == h.streamStep
	h.streamStep = bucket
	return same
}

func point(at time.Time, st flussonic.Stream) streamPoint {
	return streamPoint{at: at.Unix(), in: int32(st.InputBitrateKbps), out: int32(st.OutputBitrateKbps),
		clients: int32(st.Clients), inputErrors: float32(st.InputErrors), healthy: st.Healthy()}
}

// forget drops streams no longer on the streamer.
func (h *history) forget(keep map[string]flussonic.Stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for name := range h.streams {
		if _, ok := keep[name]; !ok {
			delete(h.streams, name)
		}
	}
}

// History returns the streamer's samples over the last window, oldest first.
func (p *Poller) History(streamerID string) []ServerSample {
	h := p.historyOf(streamerID)
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.server.items()
}

// StreamHistory returns one stream's samples over the last window, oldest first.
func (p *Poller) StreamHistory(streamerID, stream string) []StreamSample {
	h := p.historyOf(streamerID)
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.streams[stream]
	if r == nil {
		return nil
	}
	var out []StreamSample
	for _, pt := range r.items() {
		out = append(out, StreamSample{At: time.Unix(pt.at, 0), Healthy: pt.healthy, InputKbps: int64(pt.in),
			OutputKbps: int64(pt.out), Clients: int64(pt.clients), InputErrors: float64(pt.inputErrors)})
	}
	return out
}
