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
	mu       sync.Mutex
	step     time.Duration
	size     int
	lastStep int64
	server   *ring[ServerSample]
	streams  map[string]*ring[streamPoint]
}

func newHistory(window, step time.Duration) *history {
	size := max(int(window/step), 1)
	return &history{step: step, size: size, lastStep: -1, server: newRing[ServerSample](size),
		streams: map[string]*ring[streamPoint]{}}
}

func (h *history) record(at time.Time, s ServerSample, streams []flussonic.Stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	bucket := at.UnixNano() / int64(h.step)
	same := bucket == h.lastStep
	h.lastStep = bucket
	add := (*ring[ServerSample]).push
	if same {
		add = (*ring[ServerSample]).replaceLast
	}
	add(h.server, s)
	for _, st := range streams {
		r := h.streams[st.Name]
		if r == nil {
			r = newRing[streamPoint](h.size)
			h.streams[st.Name] = r
		}
		p := streamPoint{at: at.Unix(), in: int32(st.InputBitrateKbps), out: int32(st.OutputBitrateKbps),
			clients: int32(st.Clients), inputErrors: float32(st.InputErrors), healthy: st.Healthy()}
		if same {
			r.replaceLast(p)
		} else {
			r.push(p)
		}
	}
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
