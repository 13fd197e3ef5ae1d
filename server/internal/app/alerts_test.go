package app

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"canale/server/internal/alerting"
	"canale/server/internal/eventhub"
	"canale/shared/api"
)

// TestPublishRaisesAlert checks the wiring: a fleet transition published by
// the fleet manager is followed by its alert on the event stream.
func TestPublishRaisesAlert(t *testing.T) {
	a := &App{alerts: alerting.New(), events: eventhub.New(eventhub.Options{Logger: slog.New(slog.DiscardHandler)})}
	var got []api.Event
	sink := func(e api.Event) { got = append(got, e) }
	a.SetEventSink(sink)
	down, err := api.NewEvent(api.EventStreamDown, api.FleetEvent{StreamerID: 1, StreamerName: "s1", Stream: "ch1"})
	if err != nil {
		t.Fatal(err)
	}
	a.publish(down)
	if len(got) != 2 || got[0].Type != api.EventStreamDown || got[1].Type != api.EventAlert {
		t.Fatalf("got events %+v, want stream_down then alert", got)
	}
	var alert api.Alert
	if err := json.Unmarshal(got[1].Data, &alert); err != nil {
		t.Fatal(err)
	}
	if alert.Severity != api.SeverityWarning || alert.Subject != "ch1" {
		t.Errorf("got alert %+v, want a warning about ch1", alert)
	}
}

// TestDatabaseAlerts: a restart's recovery is announced only after a crash
// was, and a crash is announced once until the database is back.
func TestDatabaseAlerts(t *testing.T) {
	a := &App{alerts: alerting.New(), events: eventhub.New(eventhub.Options{Logger: slog.New(slog.DiscardHandler)})}
	var kinds []string
	a.SetEventSink(func(e api.Event) {
		var al api.Alert
		if e.Type == api.EventAlert && json.Unmarshal(e.Data, &al) == nil {
			kinds = append(kinds, string(al.Severity)+" "+al.Kind)
		}
	})
	a.DatabaseUp()
	a.DatabaseDown(errors.New("signal: killed"))
	a.DatabaseDown(errors.New("signal: killed"))
	a.DatabaseUp()
	want := "critical database_down, info database_up"
	if got := strings.Join(kinds, ", "); got != want {
		t.Errorf("got alerts %q, want %q", got, want)
	}
	if open := a.alerts.Unacknowledged(); len(open) != 2 || !strings.Contains(open[1].Message, "signal: killed") {
		t.Errorf("open alerts %+v; want both, the crash naming its cause", open)
	}
}

// TestRecoveryClosesAlert: a streamer answering again is followed on the
// event stream by its info alert and a change closing the critical one.
func TestRecoveryClosesAlert(t *testing.T) {
	a := &App{alerts: alerting.New(), events: eventhub.New(eventhub.Options{Logger: slog.New(slog.DiscardHandler)})}
	var got []api.Event
	a.SetEventSink(func(e api.Event) { got = append(got, e) })
	for _, typ := range []string{api.EventStreamerDown, api.EventStreamerUp} {
		e, err := api.NewEvent(typ, api.FleetEvent{StreamerID: 1, StreamerName: "edge1", Error: "refused"})
		if err != nil {
			t.Fatal(err)
		}
		a.publish(e)
	}
	if len(got) != 5 || got[1].Type != api.EventAlert || got[3].Type != api.EventAlert || got[4].Type != api.EventChange {
		t.Fatalf("got %d events %+v, want down, alert, up, alert, change", len(got), got)
	}
	var down api.Alert
	var ch api.Change
	if json.Unmarshal(got[1].Data, &down) != nil || json.Unmarshal(got[4].Data, &ch) != nil {
		t.Fatal("undecodable events")
	}
	if ch.Entity != api.EntityAlert || ch.Op != api.OpResolve || ch.ID != down.ID {
		t.Errorf("change %+v, want alert resolve of %q", ch, down.ID)
	}
	if open := a.alerts.Unacknowledged(); len(open) != 2 || open[1].ResolvedAt == nil {
		t.Errorf("open alerts %+v, want the outage resolved", open)
	}
}
