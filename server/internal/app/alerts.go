package app

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"canale/shared/api"
)

// alerter turns fleet transitions into alerts for the NOC: a streamer going
// down is critical, a stream going down or a noisy input a warning. A
// recovery is an info alert, but only for a trouble that was raised, so a
// fleet coming up at start does not notify anyone.
type alerter struct {
	mu   sync.Mutex
	open map[string]bool // trouble keys raised and not yet recovered
}

func newAlerter() *alerter { return &alerter{open: map[string]bool{}} }

// alertRule says what a fleet event type means for the NOC.
type alertRule struct {
	severity api.Severity
	trouble  string // the trouble a recovery clears; empty for a trouble itself
	message  func(api.FleetEvent) string
}

var alertRules = map[string]alertRule{
	api.EventStreamerDown: {severity: api.SeverityCritical, message: func(f api.FleetEvent) string {
		return "streamer " + f.StreamerName + " stopped answering: " + f.Error
	}},
	api.EventStreamerUp: {severity: api.SeverityInfo, trouble: api.EventStreamerDown, message: func(f api.FleetEvent) string {
		return "streamer " + f.StreamerName + " is answering again"
	}},
	api.EventStreamDown: {severity: api.SeverityWarning, message: func(f api.FleetEvent) string {
		return "stream " + f.Stream + " is down on " + f.StreamerName
	}},
	api.EventStreamUp: {severity: api.SeverityInfo, trouble: api.EventStreamDown, message: func(f api.FleetEvent) string {
		return "stream " + f.Stream + " is back on " + f.StreamerName
	}},
	api.EventInputErrors: {severity: api.SeverityWarning, message: func(f api.FleetEvent) string {
		return fmt.Sprintf("stream %s has input errors on %s (%.2f/s)", f.Stream, f.StreamerName, f.InputErrors)
	}},
	api.EventInputErrorsCleared: {severity: api.SeverityInfo, trouble: api.EventInputErrors, message: func(f api.FleetEvent) string {
		return "stream " + f.Stream + " has a clean input again on " + f.StreamerName
	}},
}

// alertFor returns the alert a fleet event raises, if any.
func (al *alerter) alertFor(e api.Event) (api.Alert, bool) {
	rule, ok := alertRules[e.Type]
	if !ok {
		return api.Alert{}, false
	}
	var f api.FleetEvent
	if err := json.Unmarshal(e.Data, &f); err != nil {
		return api.Alert{}, false
	}
	kind := e.Type
	if rule.trouble != "" {
		kind = rule.trouble
	}
	key := kind + ":" + strconv.FormatInt(f.StreamerID, 10) + ":" + f.Stream
	al.mu.Lock()
	defer al.mu.Unlock()
	if rule.trouble != "" {
		if !al.open[key] {
			return api.Alert{}, false
		}
		delete(al.open, key)
	} else {
		if al.open[key] {
			return api.Alert{}, false // still the same occurrence
		}
		al.open[key] = true
	}
	subject := f.Stream
	if subject == "" {
		subject = f.StreamerName
	}
	// The ID names this occurrence: the same trouble later is a new alert.
	id := e.Type + ":" + strconv.FormatInt(f.StreamerID, 10) + ":" + f.Stream + ":" + strconv.FormatInt(e.At.UnixNano(), 10)
	return api.Alert{ID: id, Severity: rule.severity, Kind: e.Type, Subject: subject, Message: rule.message(f), At: e.At}, true
}
