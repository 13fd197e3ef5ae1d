package api

import (
	"strconv"
	"strings"
	"time"
)

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
// an Event of type EventAlert; GET /alerts lists those nobody has
// acknowledged yet, and the desktop app shows them until someone does.
type Alert struct {
	ID string `json:"id"` // stable for one occurrence, so a repeat does not count twice
	// Key names what the alert is about (kind, streamer, stream), the same on
	// every instance that raises it. Acknowledging an alert acknowledges every
	// open alert with its key raised until then, on every instance.
	Key      string    `json:"key"`
	Severity Severity  `json:"severity"` // "info", "warning", "critical"
	Kind     string    `json:"kind"`     // what happened, e.g. "stream_down", "streamer_down"
	Subject  string    `json:"subject"`  // what it happened to, e.g. the channel or streamer name
	Message  string    `json:"message"`  // one sentence for a person
	At       time.Time `json:"at"`
	// ResolvedAt is set on a trouble (streamer_down, stream_down, …) once its
	// recovery came, so the NOC sees it closed rather than still burning.
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	// Resolves, on a recovery, is the ID of the trouble alert it closes.
	Resolves string `json:"resolves,omitempty"`
}

// AlertAck acknowledges open alerts by ID.
type AlertAck struct {
	IDs []string `json:"ids"`
}

// AlertAckID is the Change ID announcing that the alerts about key raised
// until at are acknowledged.
func AlertAckID(key string, at time.Time) string {
	return key + "@" + strconv.FormatInt(at.UnixNano(), 10)
}

// ParseAlertAckID undoes AlertAckID.
func ParseAlertAckID(id string) (key string, at time.Time, ok bool) {
	i := strings.LastIndexByte(id, '@')
	if i < 0 {
		return "", time.Time{}, false
	}
	n, err := strconv.ParseInt(id[i+1:], 10, 64)
	if err != nil {
		return "", time.Time{}, false
	}
	return id[:i], time.Unix(0, n), true
}

// Kinds of the alerts about the embedded PostgreSQL, which `canale serve`
// restarts when it exits (Subject "PostgreSQL").
const (
	AlertDatabaseDown = "database_down" // critical: exited, being restarted
	AlertDatabaseUp   = "database_up"   // info: restarted and ready
)
