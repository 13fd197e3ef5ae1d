package api

import "time"

// Severity says how urgently an alert needs a person.
type Severity string

// Severities, least urgent first.
const (
	SeverityInfo     Severity = "info"
	SeverityWarning  Severity = "warning"
	SeverityCritical Severity = "critical"
)

// Alert is something the NOC should look at: a stream went down, a streamer
// stopped answering, a licence is about to expire. It travels as the Data of
// an Event of type EventAlert; the desktop app shows it until acknowledged.
type Alert struct {
	ID       string    `json:"id"`       // stable for one occurrence, so a repeat does not count twice
	Severity Severity  `json:"severity"` // "info", "warning", "critical"
	Kind     string    `json:"kind"`     // what happened, e.g. "stream_down", "streamer_down"
	Subject  string    `json:"subject"`  // what it happened to, e.g. the channel or streamer name
	Message  string    `json:"message"`  // one sentence for a person
	At       time.Time `json:"at"`
}
