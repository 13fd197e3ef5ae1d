package simulator

import (
	"sort"
	"time"
)

// Stream is one simulated stream and the figures the simulator reports for it.
type Stream struct {
	Name string
	// OnDemand is the opposite of Flussonic's static flag (static is the default).
	OnDemand bool
	// Alive and Status are reported as-is; an empty Status is "running"
	// when Alive and "error" otherwise.
	Alive          bool
	Status         string
	InputKbps      int64
	OutputKbps     int64
	Clients        int64 // viewers on top of the simulator's own open sessions
	InputErrorRate float64
	TSDelayMs      int64
	RetryCount     int64
	// DVRFrom and DVRDepth describe the recorded archive; zero means no DVR.
	DVRFrom  time.Time
	DVRDepth time.Duration
	// AuthURL is the stream's on_play URL; empty falls back to Options.AuthURL.
	AuthURL string
	// External marks a stream adopted from config_external.
	External bool
}

func (st Stream) status() string {
	switch {
	case st.Status != "":
		return st.Status
	case st.Alive:
		return "running"
	default:
		return "error"
	}
}

// SetStream adds the stream, or replaces the one with the same name.
func (s *Simulator) SetStream(st Stream) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.streams[st.Name] = st
	s.changedLocked()
}

// RemoveStream removes a stream; it reports whether it existed.
func (s *Simulator) RemoveStream(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.streams[name]
	delete(s.streams, name)
	s.changedLocked()
	return ok
}

// UpdateStream changes a stream in place; it reports whether it existed.
func (s *Simulator) UpdateStream(name string, change func(*Stream)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.streams[name]
	if !ok {
		return false
	}
	change(&st)
	st.Name = name
	s.streams[name] = st
	s.changedLocked()
	return true
}

// Stream returns one stream by name.
func (s *Simulator) Stream(name string) (Stream, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.streams[name]
	return st, ok
}

// Streams returns all streams sorted by name.
func (s *Simulator) Streams() []Stream {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sortedStreamsLocked()
}

func (s *Simulator) sortedStreamsLocked() []Stream {
	out := make([]Stream, 0, len(s.streams))
	for _, st := range s.streams {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SetLoad sets the CPU and memory usage (percent) that config/stats reports.
func (s *Simulator) SetLoad(cpu, memory float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cpu, s.memory = cpu, memory
	s.changedLocked()
}

// changedLocked drops rendered pages; called after every change the API shows.
func (s *Simulator) changedLocked() {
	s.version++
	clear(s.pages)
}
