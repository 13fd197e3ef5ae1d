package api

import (
	"encoding/json"
	"fmt"
	"time"
)

// Event is the envelope of everything pushed to desktop apps over the event
// websocket: catalog changes, health transitions, session counts and alerts.
type Event struct {
	Type string          `json:"type"`
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data,omitempty"`
}

// NewEvent wraps data, encoded as JSON, in an Event of type typ stamped now.
func NewEvent(typ string, data any) (Event, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return Event{}, fmt.Errorf("encode %s event: %w", typ, err)
	}
	return Event{Type: typ, At: time.Now().UTC(), Data: b}, nil
}

// Change describes a committed change of one entity. It travels in PostgreSQL
// NOTIFY payloads (so every instance refreshes its read model) and, wrapped in
// an Event of type EventChange, to desktop apps.
type Change struct {
	Entity string `json:"entity"`
	ID     string `json:"id,omitempty"`
	Op     string `json:"op"` // "create", "update", "delete", "reset", "resync", "rekey"
}

// Ops of a Change of every entity (Entity "*").
const (
	// OpReset: the data was replaced wholesale (setup reset, a seed, an
	// import); ids may start again from 1, so read everything again.
	OpReset = "reset"
	// OpResync: changes may have been missed (the listener reconnected, a
	// queue overflowed); compare versions and read again what differs.
	OpResync = "resync"
)

// Event types.
const (
	EventChange = "change" // Data is a Change
	EventAlert  = "alert"  // Data is an Alert
)
