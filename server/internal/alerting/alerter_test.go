package alerting

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/shared/api"
)

func fleetEvent(t *testing.T, typ string, f api.FleetEvent, at time.Time) api.Event {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return api.Event{Type: typ, At: at, Data: b}
}

func TestAlertFor(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	ch1 := api.FleetEvent{StreamerID: 7, StreamerName: "edge1", Stream: "ch1"}
	edge := api.FleetEvent{StreamerID: 7, StreamerName: "edge1", Error: "connection refused"}
	noisy := api.FleetEvent{StreamerID: 7, StreamerName: "edge1", Stream: "ch1", InputErrors: 3.5}
	type step struct {
		typ      string
		f        api.FleetEvent
		want     bool
		severity api.Severity
		subject  string
		message  string
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{name: "StreamDownThenUp", steps: []step{
			{typ: api.EventStreamDown, f: ch1, want: true, severity: api.SeverityWarning, subject: "ch1", message: "stream ch1 is down on edge1"},
			{typ: api.EventStreamDown, f: ch1}, // the same occurrence
			{typ: api.EventStreamUp, f: ch1, want: true, severity: api.SeverityInfo, subject: "ch1", message: "stream ch1 is back on edge1"},
			{typ: api.EventStreamUp, f: ch1},
		}},
		{name: "UpWithoutDownIsQuiet", steps: []step{
			{typ: api.EventStreamUp, f: ch1},
			{typ: api.EventStreamerUp, f: edge},
		}},
		{name: "StreamerDownIsCritical", steps: []step{
			{typ: api.EventStreamerDown, f: edge, want: true, severity: api.SeverityCritical, subject: "edge1",
				message: "streamer edge1 stopped answering: connection refused"},
			{typ: api.EventStreamerUp, f: edge, want: true, severity: api.SeverityInfo, subject: "edge1", message: "streamer edge1 is answering again"},
		}},
		{name: "InputErrors", steps: []step{
			{typ: api.EventInputErrors, f: noisy, want: true, severity: api.SeverityWarning, subject: "ch1",
				message: "stream ch1 has input errors on edge1 (3.50/s)"},
			{typ: api.EventInputErrorsCleared, f: ch1, want: true, severity: api.SeverityInfo, subject: "ch1",
				message: "stream ch1 has a clean input again on edge1"},
		}},
		{name: "OtherEventsRaiseNothing", steps: []step{
			{typ: api.EventChannelMoved, f: ch1},
			{typ: api.EventChange, f: ch1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			al := New()
			ids := map[string]bool{}
			for i, s := range tt.steps {
				got, ok := al.AlertFor(fleetEvent(t, s.typ, s.f, at.Add(time.Duration(i)*time.Second)))
				if ok != s.want {
					t.Fatalf("step %d (%s): got alert %v, want %v", i, s.typ, ok, s.want)
				}
				if !ok {
					continue
				}
				if got.Severity != s.severity || got.Subject != s.subject || got.Message != s.message || got.Kind != s.typ {
					t.Errorf("step %d: got %+v, want %s %q %q", i, got, s.severity, s.subject, s.message)
				}
				if ids[got.ID] {
					t.Errorf("step %d: alert ID %q repeats an earlier one", i, got.ID)
				}
				ids[got.ID] = true
			}
		})
	}
}

// TestAlertsUntilAcknowledged keeps raised alerts, newest first, drops those
// of a key raised until an acknowledgement's time (not later ones), and keeps
// at most maxOpenAlerts.
func TestAlertsUntilAcknowledged(t *testing.T) {
	al := New()
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	raise := func(typ, stream string, sec int) api.Alert {
		t.Helper()
		a, ok := al.AlertFor(fleetEvent(t, typ, api.FleetEvent{StreamerID: 7, StreamerName: "edge1", Stream: stream}, at.Add(time.Duration(sec)*time.Second)))
		if !ok {
			t.Fatalf("%s %s raised nothing", typ, stream)
		}
		return a
	}
	down1 := raise(api.EventStreamDown, "ch1", 0)
	down2 := raise(api.EventStreamDown, "ch2", 1)
	raise(api.EventStreamUp, "ch1", 2)
	again := raise(api.EventStreamDown, "ch1", 3)
	if got := ids(al.Unacknowledged()); got != "stream_down:7:ch1@3 stream_up:7:ch1@2 stream_down:7:ch2@1 stream_down:7:ch1@0" {
		t.Fatalf("open alerts: %s", got)
	}
	key, ackAt, ok := api.ParseAlertAckID(api.AlertAckID(down1.Key, at.Add(2*time.Second)))
	if !ok || key != down1.Key || !ackAt.Equal(at.Add(2*time.Second)) {
		t.Fatalf("ack id round trip: %q %v %v", key, ackAt, ok)
	}
	al.acknowledge(key, ackAt)
	if got := ids(al.Unacknowledged()); got != "stream_down:7:ch1@3 stream_up:7:ch1@2 stream_down:7:ch2@1" {
		t.Errorf("after acknowledging ch1's outage until 12:00:02: %s", got)
	}
	if got := al.byIDs([]string{down1.ID, down2.ID, again.ID, "nonsense"}); len(got) != 2 || got[0].ID != down2.ID || got[1].ID != again.ID {
		t.Errorf("byIDs: %+v, want ch2's and ch1's second outage", got)
	}
	for i := range maxOpenAlerts {
		raise(api.EventInputErrors, "s"+strconv.Itoa(i), 10+i)
	}
	open := al.Unacknowledged()
	if len(open) != maxOpenAlerts || open[len(open)-1].Kind != api.EventInputErrors {
		t.Errorf("after %d more alerts: %d open, oldest %+v; want the newest %d", maxOpenAlerts, len(open), open[len(open)-1], maxOpenAlerts)
	}
}

// ids formats alerts as key@seconds past the minute.
func ids(alerts []api.Alert) string {
	out := make([]string, len(alerts))
	for i, a := range alerts {
		out[i] = a.Key + "@" + strconv.Itoa(a.At.Second())
	}
	return strings.Join(out, " ")
}
