package flussonic_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"canale/server/internal/flussonic"
	"canale/server/internal/flussonic/simulator"
)

// TestAppendStreamsReusesMemory lists into the memory of an earlier
// listing, as the poller does, while streams come and go between polls:
// what dst held before is kept, the rest is the new listing, whole.
func TestAppendStreamsReusesMemory(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Streams: manyStreams(250), MaxPageLimit: 100})
	c := newClient(t, flussonic.Config{BaseURL: sim.URL(), PageLimit: 100})
	ctx := context.Background()
	first, err := c.AppendStreams(ctx, nil)
	if err != nil || len(first) != 250 {
		t.Fatalf("first listing: %d streams, %v; want 250", len(first), err)
	}
	sim.RemoveStream("ch00007")
	sim.SetStream(simulator.Stream{Name: "ch00007b", Alive: true, InputKbps: 42})
	mark := flussonic.Stream{Name: "kept"}
	got, err := c.AppendStreams(ctx, append(first[:0], mark))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 251 || got[0] != mark {
		t.Fatalf("got %d streams starting %+v, want the mark then 250", len(got), got[0])
	}
	for i, s := range got[1:] {
		if s.Name == "ch00007" {
			t.Errorf("stream %d: the removed stream is still listed", i)
		}
		if s.Name == "ch00007b" && s.InputBitrateKbps != 42 {
			t.Errorf("the new stream: got %+v, want 42 kbit/s", s)
		}
	}
	if got[8].Name != "ch00007b" {
		t.Errorf("stream 8 (after the mark): got %q, want ch00007b", got[8].Name)
	}
}

// TestStreamsSelectsEveryHealthField: Streams asks the streamer for named
// stats fields only (select=stats.status,...), so every figure a Stream
// carries must still arrive through that projection.
func TestStreamsSelectsEveryHealthField(t *testing.T) {
	from := time.Unix(1700000000, 0).UTC()
	sim := startSimulator(t, simulator.Options{Streams: []simulator.Stream{{Name: "full", Alive: true,
		InputKbps: 4100, OutputKbps: 12000, Clients: 3, InputErrorRate: 2.5, TSDelayMs: 1284, RetryCount: 7,
		DVRFrom: from, DVRDepth: time.Hour, OnDemand: true}}})
	got, err := newClient(t, flussonic.Config{BaseURL: sim.URL()}).Streams(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []flussonic.Stream{{Name: "full", Static: false, Status: "running", Alive: true, InputBitrateKbps: 4100,
		OutputBitrateKbps: 12000, Clients: 3, InputErrors: 2.5, RetryCount: 7, TSDelayMs: 1284,
		DVRFrom: from, DVRTo: from.Add(time.Hour)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Streams (-want +got):\n%s", diff)
	}
}
