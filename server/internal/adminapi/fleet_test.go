package adminapi_test

import (
	"context"
	"testing"

	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/store"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

func TestFleetRoutes(t *testing.T) {
	srv := testserver.Start(t)
	ctx := context.Background()
	seedFleet(t, srv)
	if err := srv.App.Fleet().Reload(ctx); err != nil {
		t.Fatal(err)
	}
	srv.App.Fleet().PollNow(ctx)

	fl, err := srv.Admin.Fleet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(fl.Streamers) != 1 || fl.Streamers[0].Health != api.HealthUp || len(fl.Streamers[0].Streams) != 1 {
		t.Fatalf("got fleet %+v, want e1 up with one stream", fl)
	}
	id := fl.Streamers[0].ID
	if len(fl.Channels) != 1 || len(fl.Channels[0].Steps) != 1 || len(fl.Channels[0].Steps[0].Alive) != 1 {
		t.Errorf("got channels %+v, want ch1 alive on e1", fl.Channels)
	}
	t.Run("Placements", func(t *testing.T) {
		pl, err := srv.Admin.Placements(ctx)
		if err != nil || len(pl) != 1 || pl[0].Steps[0].StreamerIDs[0] != id {
			t.Errorf("got %+v, %v; want ch1 on streamer %d", pl, err, id)
		}
	})
	t.Run("StreamerHistory", func(t *testing.T) {
		h, err := srv.Admin.StreamerHistory(ctx, id)
		if err != nil || len(h.Samples) != 1 || !h.Samples[0].Up {
			t.Errorf("got %+v, %v; want one sample, up", h, err)
		}
		if _, err := srv.Admin.StreamerHistory(ctx, id+100); api.ErrorCode(err) != api.CodeNotFound {
			t.Errorf("unknown streamer: got %v, want not_found", err)
		}
	})
	t.Run("ChannelHistory", func(t *testing.T) {
		h, err := srv.Admin.ChannelHistory(ctx, "ch1")
		if err != nil || len(h.Streamers) != 1 || len(h.Streamers[0].Samples) != 1 {
			t.Errorf("got %+v, %v; want one streamer with one sample", h, err)
		}
		if _, err := srv.Admin.ChannelHistory(ctx, "nothing"); api.ErrorCode(err) != api.CodeNotFound {
			t.Errorf("unknown channel: got %v, want not_found", err)
		}
	})
}

// seedFleet starts a simulated streamer e1 running ch1 and seeds srv's
// database with it: e1 in pipeline p, ch1 on p.
func seedFleet(t *testing.T, srv *testserver.Server) *simulator.Simulator {
	t.Helper()
	sim := simulator.New(simulator.Options{Hostname: "e1.test",
		Streams: []simulator.Stream{{Name: "ch1", Alive: true, InputKbps: 3000, OutputKbps: 3000}}})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	seed := store.Seed{
		Streamers: []store.SeedStreamer{{Name: "e1", APIURL: sim.URL()}},
		Pipelines: []store.SeedPipeline{{Name: "p", Steps: []store.SeedStep{{Role: "ingest", Placement: "one", Streamers: []string{"e1"}}}}},
		Channels:  []store.SeedChannel{{Name: "ch1", Title: "One", Pipeline: "p", Sources: []store.FleetSource{{URL: "udp://239.0.0.1:1234"}}}},
	}
	if err := srv.Store.Seed(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	return sim
}
