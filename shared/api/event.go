package api

import (
	"encoding/json"
	"time"
)

// Event is the envelope of everything pushed to desktop apps over the event
// websocket: catalog changes, health transitions, session counts and alerts.
type Event struct {
	Type string          `json:"type"`
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data,omitempty"`
}

// Change describes a committed change of one entity. It travels in PostgreSQL
// NOTIFY payloads (so every instance refreshes its read model) and, wrapped in
// an Event of type EventChange, to desktop apps.
type Change struct {
	Entity string `json:"entity"`
	ID     string `json:"id,omitempty"`
	Op     string `json:"op"` // "create", "update", "delete", "reset"
}

// Event types.
const (
	EventChange = "change"
)
