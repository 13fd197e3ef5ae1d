package fleet

import (
	"time"

	"canale/server/internal/flussonic"
)

// Health is what the poller believes about a streamer.
type Health string

// Streamer health values.
const (
	HealthUnknown Health = "unknown" // not polled successfully yet, and not yet declared down
	HealthUp      Health = "up"
	HealthDown    Health = "down"
)

// Fleet is a snapshot of every streamer. It is shared and must not be modified.
type Fleet struct {
	Streamers map[string]*StreamerState
}

// StreamerState is the last known state of one streamer. It is immutable
// once published; each poll publishes a new one.
type StreamerState struct {
	ID     string `json:"id"`
	Health Health `json:"health"`
	// Failures counts failed polls in a row.
	Failures  int       `json:"failures"`
	LastError string    `json:"last_error,omitempty"`
	PolledAt  time.Time `json:"polled_at"`
	// UpdatedAt is the time of the last successful poll; Stats and Streams are from then.
	UpdatedAt time.Time                   `json:"updated_at"`
	Stats     flussonic.ServerStats       `json:"stats"`
	Streams   map[string]flussonic.Stream `json:"streams"`
}

// Up reports whether the streamer answered its last polls.
func (s *StreamerState) Up() bool { return s.Health == HealthUp }

// Snapshot returns the current fleet. It costs no copy and takes no lock.
func (p *Poller) Snapshot() Fleet {
	return *p.state.Load()
}

// Streamer returns the current state of one streamer.
func (p *Poller) Streamer(id string) (*StreamerState, bool) {
	s, ok := p.state.Load().Streamers[id]
	return s, ok
}

// store publishes a new state for one streamer (nil removes it) by copying
// the small map of pointers; readers keep whatever snapshot they hold.
func (p *Poller) store(id string, st *StreamerState) {
	p.stateMu.Lock()
	defer p.stateMu.Unlock()
	old := p.state.Load().Streamers
	next := make(map[string]*StreamerState, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	if st == nil {
		delete(next, id)
	} else {
		next[id] = st
	}
	p.state.Store(&Fleet{Streamers: next})
}
