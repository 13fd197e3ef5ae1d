package fleet_test

import (
	"context"
	"slices"
	"testing"

	"canale/server/internal/store"
	"canale/shared/api"
)

// TestVODStorageEdges checks that a file in a VOD storage goes to the
// streamers of that storage only, and that the balancer learns which
// paths are such files.
func TestVODStorageEdges(t *testing.T) {
	f := setup(t, []string{"vod1", "vod2", "live1"}, []string{"ch1"}, func(u map[string]string) store.Seed {
		return store.Seed{Streamers: []store.SeedStreamer{streamer("vod1", u["vod1"]), streamer("vod2", u["vod2"]),
			streamer("live1", u["live1"])}}
	})
	ctx := context.Background()
	st, err := f.store.FindSettings(ctx, api.SystemActor("test"))
	if err != nil {
		t.Fatal(err)
	}
	storages := []api.VODStorage{{Prefix: "vod", Streamers: []string{"vod1", "vod2"}}}
	if _, err := f.store.UpdateSettings(ctx, api.SystemActor("test"), api.SettingsUpdate{VODStorages: &storages,
		Version: st.Version}); err != nil {
		t.Fatal(err)
	}
	if err := f.mgr.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	f.mgr.PollNow(ctx)
	edges, known := f.mgr.Edges("vod/films/night-train.mkv")
	var names []string
	for _, e := range edges {
		if !e.Up || !e.StreamHealthy {
			t.Errorf("edge %s: up %v, healthy %v; want both", f.names[e.StreamerID], e.Up, e.StreamHealthy)
		}
		names = append(names, f.names[e.StreamerID])
	}
	slices.Sort(names)
	if !known || !slices.Equal(names, []string{"vod1", "vod2"}) {
		t.Errorf("edges of a VOD file = %v (known %v); want vod1, vod2", names, known)
	}
	if edges, known := f.mgr.Edges("films/night-train.mkv"); known || len(edges) != 0 {
		t.Errorf("a path outside every storage: %v, %v; want unknown", edges, known)
	}
	for path, want := range map[string]bool{
		"/vod/films/night-train.mkv": true, "/vod/a.mp4": true, "/films/a.mp4": false,
		"/vod/../etc/passwd": false, "/vod/.hidden": false, "/vod": false,
	} {
		if got := f.mgr.VODFile(path); got != want {
			t.Errorf("VODFile(%q) = %v; want %v", path, got, want)
		}
	}
}
