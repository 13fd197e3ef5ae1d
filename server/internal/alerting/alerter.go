// Package alerting turns fleet transitions into alerts for the NOC and keeps
// those nobody has acknowledged. It is pure rules and state: the app wires
// it to the event stream, the admin API and the database.
package alerting

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"canale/shared/api"
)

// Alerter turns fleet transitions into alerts for the NOC: a streamer going
// down is critical, a stream going down or a noisy input a warning. A
// recovery is an info alert, but only for a trouble that was raised, so a
// fleet coming up at start does not notify anyone; it closes that trouble's
// alert (ResolvedAt) and names it (Resolves), so the pair reads as one
// incident.
//
// It also keeps the alerts nobody has acknowledged yet, newest last, so a
// desktop app that connects later lists them; there are at most
// maxOpenAlerts, the oldest dropped first.
type Alerter struct {
	mu      sync.Mutex
	open    map[string]string // trouble key -> ID of its alert, raised and not yet recovered
	pending []api.Alert       // not acknowledged
}

// maxOpenAlerts bounds the unacknowledged alerts an instance keeps: a
// flapping fleet nobody watches must not grow it for ever.
const maxOpenAlerts = 1000

// New returns an Alerter with nothing raised.
func New() *Alerter { return &Alerter{open: map[string]string{}} }

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

// AlertFor returns the alert a fleet event raises, if any.
func (al *Alerter) AlertFor(e api.Event) (api.Alert, bool) {
	rule, ok := alertRules[e.Type]
	if !ok {
		return api.Alert{}, false
	}
	var f api.FleetEvent
	if err := json.Unmarshal(e.Data, &f); err != nil {
		return api.Alert{}, false
	}
	// key is the trouble (the down a recovery clears); alertKey names what
	// the alert itself is about, the same on every instance.
	about := ":" + strconv.FormatInt(f.StreamerID, 10) + ":" + f.Stream
	key, alertKey := e.Type+about, e.Type+about
	if rule.trouble != "" {
		key = rule.trouble + about
	}
	subject := f.Stream
	if subject == "" {
		subject = f.StreamerName
	}
	a := api.Alert{Key: alertKey, Severity: rule.severity, Kind: e.Type, Subject: subject, Message: rule.message(f), At: e.At}
	return al.Raise(a, key, rule.trouble != "")
}

// Raise keeps a and returns it, unless it repeats a trouble still open (key
// names the trouble) or, for a recovery, no such trouble was raised. A
// recovery closes the trouble's alert, if still unacknowledged, at a.At and
// names it in Resolves.
func (al *Alerter) Raise(a api.Alert, key string, recovery bool) (api.Alert, bool) {
	al.mu.Lock()
	defer al.mu.Unlock()
	if recovery {
		trouble, ok := al.open[key]
		if !ok {
			return api.Alert{}, false
		}
		delete(al.open, key)
		a.Resolves = trouble
		al.resolve(trouble, a.At)
		return al.keep(a), true
	}
	if _, ok := al.open[key]; ok {
		return api.Alert{}, false // still the same occurrence
	}
	a = al.keep(a)
	al.open[key] = a.ID
	return a, true
}

// resolve marks the pending alert id closed at at; al.mu is held. An alert
// acknowledged meanwhile is gone and stays so.
func (al *Alerter) resolve(id string, at time.Time) {
	for i := range al.pending {
		if al.pending[i].ID == id {
			al.pending[i].ResolvedAt = &at
			return
		}
	}
}

// Notice keeps and returns an alert that is its own occurrence, with no
// trouble to recover from (a MAC scan cut off, say), until acknowledged.
func (al *Alerter) Notice(a api.Alert) api.Alert {
	al.mu.Lock()
	defer al.mu.Unlock()
	return al.keep(a)
}

// keep names a's occurrence and adds it to the unacknowledged ones; al.mu
// is held.
func (al *Alerter) keep(a api.Alert) api.Alert {
	// The ID names this occurrence: the same trouble later is a new alert.
	a.ID = a.Key + ":" + strconv.FormatInt(a.At.UnixNano(), 10)
	al.pending = append(al.pending, a)
	if n := len(al.pending) - maxOpenAlerts; n > 0 {
		al.pending = append(al.pending[:0:0], al.pending[n:]...)
	}
	return a
}

// Unacknowledged lists the alerts nobody has acknowledged, newest first.
func (al *Alerter) Unacknowledged() []api.Alert {
	al.mu.Lock()
	defer al.mu.Unlock()
	out := make([]api.Alert, len(al.pending))
	for i, a := range al.pending {
		out[len(out)-1-i] = a
	}
	return out
}

// byIDs returns the unacknowledged alerts among ids; unknown ids (already
// acknowledged, or never raised here) are left out.
func (al *Alerter) byIDs(ids []string) []api.Alert {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	al.mu.Lock()
	defer al.mu.Unlock()
	var out []api.Alert
	for _, a := range al.pending {
		if want[a.ID] {
			out = append(out, a)
		}
	}
	return out
}

// Notify applies a change event: an acknowledgement made on any instance
// (entity alert, op ack) drops the alerts it covers here.
func (al *Alerter) Notify(c api.Change) {
	if c.Entity != api.EntityAlert || c.Op != api.OpAck {
		return
	}
	if key, at, ok := api.ParseAlertAckID(c.ID); ok {
		al.acknowledge(key, at)
	}
}

// acknowledge drops the alerts about key raised until at.
func (al *Alerter) acknowledge(key string, at time.Time) {
	al.mu.Lock()
	defer al.mu.Unlock()
	al.pending = slices.DeleteFunc(al.pending, func(a api.Alert) bool { return a.Key == key && !a.At.After(at) })
}

// Acknowledger records acknowledgements and tells every instance of them
// (store.Store does, by NOTIFY).
type Acknowledger interface {
	AcknowledgeAlerts(ctx context.Context, actor api.Actor, alerts []api.Alert, at time.Time) error
}

// Desk serves the admin API's alert routes from this instance's Alerter; an
// acknowledgement goes through the database to every instance.
type Desk struct {
	Alerter *Alerter
	Store   Acknowledger
	Now     func() time.Time
}

// OpenAlerts lists the alerts nobody has acknowledged, newest first.
func (d Desk) OpenAlerts() []api.Alert { return d.Alerter.Unacknowledged() }

// AcknowledgeAlerts acknowledges the open alerts among ids; unknown ids are
// ignored. It returns the store's error codes.
func (d Desk) AcknowledgeAlerts(ctx context.Context, actor api.Actor, ids []string) error {
	alerts := d.Alerter.byIDs(ids)
	if len(alerts) == 0 {
		return nil // acknowledged meanwhile, maybe on another instance
	}
	at := d.Now()
	if err := d.Store.AcknowledgeAlerts(ctx, actor, alerts, at); err != nil {
		return err
	}
	for _, a := range alerts { // at once here; the NOTIFY brings it to the others
		d.Alerter.acknowledge(a.Key, at)
	}
	return nil
}
