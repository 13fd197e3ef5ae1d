package fleet

import "time"

// EventType names a transition the poller publishes.
type EventType string

// Transitions. Each is published once, when the state changes.
const (
	StreamerUp         EventType = "streamer_up"   // first successful poll, or back after being down
	StreamerDown       EventType = "streamer_down" // Config.DownAfter polls in a row failed
	StreamUp           EventType = "stream_up"     // a known stream became running and alive
	StreamDown         EventType = "stream_down"   // a stream stopped being running and alive, or was first seen so
	InputErrors        EventType = "input_errors"  // input_error_rate rose above Config.InputErrorThreshold
	InputErrorsCleared EventType = "input_errors_cleared"
)

// Event is one transition.
type Event struct {
	Type       EventType `json:"type"`
	StreamerID string    `json:"streamer_id"`
	Stream     string    `json:"stream,omitempty"`
	At         time.Time `json:"at"`
	// Error says why a streamer went down.
	Error string `json:"error,omitempty"`
	// InputErrors is the stream's input_error_rate for input error events.
	InputErrors float64 `json:"input_errors,omitempty"`
}

// Publisher receives transitions. Publish is called from the polling
// goroutine of the streamer concerned, so it must not block for long;
// events of one streamer arrive in order.
type Publisher interface {
	Publish(Event)
}

// PublisherFunc adapts a function to Publisher.
type PublisherFunc func(Event)

// Publish calls f(e).
func (f PublisherFunc) Publish(e Event) { f(e) }
