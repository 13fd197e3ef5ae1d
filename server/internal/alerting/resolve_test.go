package alerting

import (
	"testing"
	"time"

	"canale/shared/api"
)

// TestRecoveryClosesTrouble: "answering again" closes the "stopped
// answering" alert of the same streamer, at the recovery's time, and names
// it; another streamer's outage stays open, and a later outage of the same
// streamer is a new, open alert.
func TestRecoveryClosesTrouble(t *testing.T) {
	al := New()
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	edge1 := api.FleetEvent{StreamerID: 7, StreamerName: "edge1", Error: "connection refused"}
	edge2 := api.FleetEvent{StreamerID: 8, StreamerName: "edge2", Error: "timeout"}
	raise := func(typ string, f api.FleetEvent, sec int) api.Alert {
		t.Helper()
		a, ok := al.AlertFor(fleetEvent(t, typ, f, at.Add(time.Duration(sec)*time.Second)))
		if !ok {
			t.Fatalf("%s %s at +%ds raised nothing", typ, f.StreamerName, sec)
		}
		return a
	}
	down1 := raise(api.EventStreamerDown, edge1, 0)
	down2 := raise(api.EventStreamerDown, edge2, 1)
	up1 := raise(api.EventStreamerUp, edge1, 5)
	if up1.Resolves != down1.ID || up1.ResolvedAt != nil {
		t.Errorf("recovery %+v: want Resolves %q and no ResolvedAt of its own", up1, down1.ID)
	}
	byID := func() map[string]api.Alert {
		m := map[string]api.Alert{}
		for _, a := range al.Unacknowledged() {
			m[a.ID] = a
		}
		return m
	}
	open := byID()
	if got := open[down1.ID].ResolvedAt; got == nil || !got.Equal(at.Add(5*time.Second)) {
		t.Errorf("edge1's outage resolved at %v, want %v", got, at.Add(5*time.Second))
	}
	if got := open[down2.ID].ResolvedAt; got != nil {
		t.Errorf("edge2's outage resolved at %v by edge1's recovery", got)
	}
	again := raise(api.EventStreamerDown, edge1, 9)
	if again.ID == down1.ID || byID()[again.ID].ResolvedAt != nil {
		t.Errorf("a second outage %+v must be a new, open alert", again)
	}
	if up := raise(api.EventStreamerUp, edge1, 12); up.Resolves != again.ID {
		t.Errorf("second recovery resolves %q, want the second outage %q", up.Resolves, again.ID)
	}
	if got := byID()[down1.ID].ResolvedAt; !got.Equal(at.Add(5 * time.Second)) {
		t.Errorf("the first outage's resolution moved to %v", got)
	}
}

// TestRecoveryOfAcknowledgedTrouble: an outage acknowledged before its
// recovery stays acknowledged; the recovery still names it.
func TestRecoveryOfAcknowledgedTrouble(t *testing.T) {
	al := New()
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	ch1 := api.FleetEvent{StreamerID: 7, StreamerName: "edge1", Stream: "ch1"}
	down, _ := al.AlertFor(fleetEvent(t, api.EventStreamDown, ch1, at))
	al.acknowledge(down.Key, at.Add(time.Second))
	up, ok := al.AlertFor(fleetEvent(t, api.EventStreamUp, ch1, at.Add(2*time.Second)))
	if !ok || up.Resolves != down.ID {
		t.Fatalf("recovery %+v %v, want one resolving %q", up, ok, down.ID)
	}
	if open := al.Unacknowledged(); len(open) != 1 || open[0].ID != up.ID {
		t.Errorf("open alerts %+v, want only the recovery", open)
	}
}
