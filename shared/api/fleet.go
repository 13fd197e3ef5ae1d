package api

import "time"

// Streamer health values, as reported in StreamerHealth.Health.
const (
	HealthUnknown = "unknown" // not polled successfully yet, and not yet declared down
	HealthUp      = "up"
	HealthDown    = "down"
)

// FleetStatus is the answer of GET /api/v1/fleet: every enabled streamer with
// its health, load and streams, and where every channel runs.
type FleetStatus struct {
	Streamers []StreamerHealth   `json:"streamers"`
	Channels  []ChannelPlacement `json:"channels"`
	// LoadedAt is when the catalog was last read; LoadError says why the
	// last reading failed (the fleet then keeps the previous catalog).
	LoadedAt  time.Time `json:"loaded_at"`
	LoadError string    `json:"load_error,omitempty"`
}

// StreamerHealth is what Canale knows of one streamer now.
type StreamerHealth struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Health    string    `json:"health"` // HealthUp, HealthDown or HealthUnknown
	Failures  int       `json:"failures"`
	LastError string    `json:"last_error,omitempty"`
	PolledAt  time.Time `json:"polled_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Hostname  string    `json:"hostname"`
	Version   string    `json:"version"`
	// Load from /config/stats.
	CPU            float64 `json:"cpu"`
	Memory         float64 `json:"memory"`
	Clients        int64   `json:"clients"`
	InputKbps      int64   `json:"input_kbps"`
	OutputKbps     int64   `json:"output_kbps"`
	BandwidthUsage float64 `json:"bandwidth_usage"`
	// Capacity and what is placed on it.
	ChannelLimit       int            `json:"channel_limit"`
	BandwidthLimitKbps int64          `json:"bandwidth_limit_kbps"`
	PlacedChannels     int            `json:"placed_channels"`
	Streams            []StreamHealth `json:"streams"`
}

// StreamHealth is one stream on one streamer.
type StreamHealth struct {
	Name        string  `json:"name"`
	Status      string  `json:"status"` // running, waiting, error
	Alive       bool    `json:"alive"`
	Healthy     bool    `json:"healthy"` // running and alive: can be served
	InputKbps   int64   `json:"input_kbps"`
	OutputKbps  int64   `json:"output_kbps"`
	Clients     int64   `json:"clients"`
	InputErrors float64 `json:"input_errors"`
}

// ChannelPlacement says on which streamers a channel runs, step by step.
type ChannelPlacement struct {
	ChannelID  int64           `json:"channel_id"`
	Channel    string          `json:"channel"`
	PipelineID int64           `json:"pipeline_id"`
	Pipeline   string          `json:"pipeline"`
	Steps      []PlacementStep `json:"steps"`
}

// PlacementStep is one step of a channel's pipeline and the streamers
// running it; StreamerIDs is empty when no streamer could take the channel.
type PlacementStep struct {
	Position    int     `json:"position"`
	Role        string  `json:"role"`
	Placement   string  `json:"placement"` // one, all
	StreamerIDs []int64 `json:"streamer_ids"`
	// Alive lists the streamers of StreamerIDs that report the stream healthy.
	Alive []int64 `json:"alive"`
}

// StreamerHistory is the answer of GET /api/v1/fleet/streamers/{id}/history:
// one sample per minute over the last hour, oldest first.
type StreamerHistory struct {
	StreamerID int64            `json:"streamer_id"`
	Samples    []StreamerSample `json:"samples"`
}

// StreamerSample is one point of a streamer's history.
type StreamerSample struct {
	At         time.Time `json:"at"`
	Up         bool      `json:"up"`
	CPU        float64   `json:"cpu"`
	Memory     float64   `json:"memory"`
	Clients    int64     `json:"clients"`
	InputKbps  int64     `json:"input_kbps"`
	OutputKbps int64     `json:"output_kbps"`
}

// ChannelHistory is the answer of GET /api/v1/fleet/channels/{name}/history:
// the channel's stream on every streamer that reports it, last hour.
type ChannelHistory struct {
	Channel   string                   `json:"channel"`
	Streamers []ChannelStreamerHistory `json:"streamers"`
}

// ChannelStreamerHistory is a channel's stream history on one streamer.
type ChannelStreamerHistory struct {
	StreamerID int64          `json:"streamer_id"`
	Samples    []StreamSample `json:"samples"`
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

// Fleet event types, carried in Event.Type with a FleetEvent as Data.
const (
	EventStreamerUp         = "streamer_up"
	EventStreamerDown       = "streamer_down"
	EventStreamUp           = "stream_up"
	EventStreamDown         = "stream_down"
	EventInputErrors        = "input_errors"
	EventInputErrorsCleared = "input_errors_cleared"
	// EventChannelMoved: a placement=one step of a channel moved to another
	// streamer (FromStreamerID 0: first placed; ToStreamerID 0: no streamer had room).
	EventChannelMoved = "channel_moved"
)

// FleetEvent is the payload of a fleet transition.
type FleetEvent struct {
	StreamerID   int64   `json:"streamer_id,omitempty"`
	StreamerName string  `json:"streamer_name,omitempty"`
	Stream       string  `json:"stream,omitempty"`
	Error        string  `json:"error,omitempty"`
	InputErrors  float64 `json:"input_errors,omitempty"`
	// For EventChannelMoved.
	ChannelID      int64  `json:"channel_id,omitempty"`
	Position       int    `json:"position,omitempty"`
	Role           string `json:"role,omitempty"`
	FromStreamerID int64  `json:"from_streamer_id,omitempty"`
	ToStreamerID   int64  `json:"to_streamer_id,omitempty"`
}
