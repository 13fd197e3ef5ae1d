package fleet_test

import (
	"context"
	"testing"
	"time"

	"canale/server/internal/fleet"
	"canale/server/internal/flussonic/simulator"
)

// TestStreamListChanges follows a streamer whose figures change while its
// streams stay the same (the poll that reuses the last listing's order)
// and then whose streams come and go (the poll that matches them by name):
// the snapshot, the transitions and the stream history must say the same
// either way.
func TestStreamListChanges(t *testing.T) {
	sim := startSim(t, "l", 3)
	clock := time.Unix(1700000000, 0)
	rec := &recorder{}
	p := fleet.New(fleet.Config{Publisher: rec, HistoryWindow: 5 * time.Minute, HistoryStep: time.Minute,
		Now: func() time.Time { return clock }})
	p.SetTargets([]fleet.Target{target(t, "l", sim, time.Hour, 5*time.Second)})
	ctx := context.Background()
	poll := func() {
		t.Helper()
		p.PollNow(ctx)
		clock = clock.Add(time.Minute)
	}
	kbps := func(name string) int64 {
		t.Helper()
		st, _ := p.Streamer("l")
		s, ok := st.Streams[name]
		if !ok {
			t.Fatalf("snapshot has no stream %s: %v", name, st.Streams)
		}
		return s.InputBitrateKbps
	}

	poll()
	before, _ := p.Streamer("l")
	poll() // nothing changed
	if after, _ := p.Streamer("l"); len(after.Streams) != 3 || after.Streams["l-ch0001"] != before.Streams["l-ch0001"] {
		t.Fatalf("unchanged poll: got %v, want %v", after.Streams, before.Streams)
	}

	sim.UpdateStream("l-ch0001", func(s *simulator.Stream) { s.InputKbps, s.Alive = 1234, false })
	poll()
	if got := kbps("l-ch0001"); got != 1234 {
		t.Errorf("after a change in place: l-ch0001 at %d kbit/s, want 1234", got)
	}
	if got, want := rec.take(), []string{"streamer_up l", "stream_down l/l-ch0001"}; !sameSet(got, want) {
		t.Errorf("events: got %v, want %v", got, want)
	}
	if before.Streams["l-ch0001"].InputBitrateKbps != 3000 {
		t.Errorf("an earlier snapshot changed under its reader: %+v", before.Streams["l-ch0001"])
	}

	sim.RemoveStream("l-ch0000")
	sim.SetStream(simulator.Stream{Name: "l-ch0000a", Alive: false, InputKbps: 77})
	sim.UpdateStream("l-ch0001", func(s *simulator.Stream) { s.Alive = true })
	poll()
	st, _ := p.Streamer("l")
	if _, gone := st.Streams["l-ch0000"]; gone || len(st.Streams) != 3 || kbps("l-ch0000a") != 77 {
		t.Errorf("after streams came and went: %v", st.Streams)
	}
	if got, want := rec.take(), []string{"stream_down l/l-ch0000a", "stream_up l/l-ch0001"}; !sameSet(got, want) {
		t.Errorf("events: got %v, want %v", got, want)
	}

	sim.UpdateStream("l-ch0000a", func(s *simulator.Stream) { s.InputKbps = 88 })
	poll() // the same names again, in the new order
	var in []int64
	for _, s := range p.StreamHistory("l", "l-ch0000a") {
		in = append(in, s.InputKbps)
	}
	if len(in) != 2 || in[0] != 77 || in[1] != 88 {
		t.Errorf("history of the new stream: got %v, want [77 88]", in)
	}
	if h := p.StreamHistory("l", "l-ch0000"); h != nil {
		t.Errorf("history of a removed stream: got %v, want none", h)
	}
	if h := p.StreamHistory("l", "l-ch0001"); len(h) != 5 || h[2].InputKbps != 1234 || h[2].Healthy || !h[3].Healthy {
		t.Errorf("history of l-ch0001: got %+v, want 5 points, the third at 1234 kbit/s and down, the fourth up", h)
	}
}
