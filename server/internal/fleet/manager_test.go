package fleet_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/server/internal/fleet"
	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// eventLog collects the api.Events a Manager publishes.
type eventLog struct {
	mu     sync.Mutex
	events []api.Event
}

func (l *eventLog) publish(e api.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

// take returns the events of the given types since the last call, as
// "type streamer[/stream]" for streamer events and "type channel from->to"
// for moves, with streamer names.
func (l *eventLog) take(t *testing.T, names map[int64]string, types ...string) []string {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.events {
		if !contains(types, e.Type) {
			continue
		}
		var d api.FleetEvent
		if err := json.Unmarshal(e.Data, &d); err != nil {
			t.Fatalf("decode %s event: %v", e.Type, err)
		}
		s := e.Type + " " + names[d.StreamerID]
		if e.Type == api.EventChannelMoved {
			s = e.Type + " " + d.Stream + " " + names[d.FromStreamerID] + "->" + names[d.ToStreamerID]
		} else if d.Stream != "" {
			s += "/" + d.Stream
		}
		out = append(out, s)
	}
	l.events = nil
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// fixture is a Manager over a real database and simulated streamers.
type fixture struct {
	store  *store.Store
	mgr    *fleet.Manager
	sims   map[string]*simulator.Simulator
	events *eventLog
	ids    map[string]int64
	names  map[int64]string
}

// setup starts one simulator per name (each carrying the given streams),
// seeds the catalog that build returns for the simulators' URLs and loads
// it into a new Manager.
func setup(t *testing.T, sims []string, streams []string, build func(urls map[string]string) store.Seed) *fixture {
	t.Helper()
	f := &fixture{store: storetest.New(t), sims: map[string]*simulator.Simulator{}, events: &eventLog{}}
	urls := map[string]string{}
	for _, name := range sims {
		var list []simulator.Stream
		for _, s := range streams {
			list = append(list, simulator.Stream{Name: s, Alive: true, InputKbps: 3000, OutputKbps: 3000})
		}
		sim := simulator.New(simulator.Options{Hostname: name + ".test", Login: "root", Password: "pw", Streams: list})
		if err := sim.Start(); err != nil {
			t.Fatalf("start %s: %v", name, err)
		}
		t.Cleanup(func() { sim.Close() })
		f.sims[name], urls[name] = sim, sim.URL()
	}
	ctx := context.Background()
	if err := f.store.Seed(ctx, build(urls)); err != nil {
		t.Fatal(err)
	}
	f.mgr = f.newManager(t)
	f.ids, f.names = map[string]int64{}, map[int64]string{}
	for _, s := range f.mgr.Fleet().Streamers {
		f.ids[s.Name], f.names[s.ID] = s.ID, s.Name
	}
	return f
}

func (f *fixture) newManager(t *testing.T) *fleet.Manager {
	t.Helper()
	m := fleet.NewManager(fleet.ManagerConfig{Catalog: f.store, Publish: f.events.publish,
		ExternalURL: "http://canale.test"})
	if err := m.Reload(context.Background()); err != nil {
		t.Fatalf("reload: %v", err)
	}
	return m
}

func streamer(name, url string) store.SeedStreamer {
	return store.SeedStreamer{Name: name, APIURL: url, Login: "root", Password: "pw", TimeoutS: 1}
}

// placedOn returns the streamer names of a channel's step.
func (f *fixture) placedOn(t *testing.T, channel string, position int) []string {
	t.Helper()
	for _, cp := range f.mgr.Placements() {
		if cp.Channel != channel {
			continue
		}
		for _, st := range cp.Steps {
			if st.Position == position {
				var out []string
				for _, id := range st.StreamerIDs {
					out = append(out, f.names[id])
				}
				return out
			}
		}
	}
	t.Fatalf("channel %s has no step %d", channel, position)
	return nil
}

func healthOf(m *fleet.Manager) map[string]string {
	out := map[string]string{}
	for _, s := range m.Fleet().Streamers {
		out[s.Name] = s.Health
	}
	return out
}

func TestManagerPollsStreamersFromStore(t *testing.T) {
	f := setup(t, []string{"ok", "slow", "broken"}, []string{"ch1"}, func(u map[string]string) store.Seed {
		return store.Seed{Streamers: []store.SeedStreamer{streamer("ok", u["ok"]), streamer("slow", u["slow"]),
			streamer("broken", u["broken"])}}
	})
	ctx := context.Background()
	f.sims["slow"].SetLag(1500 * time.Millisecond) // beyond timeout_s = 1
	f.sims["broken"].SetFailure(500)
	transitions := []string{api.EventStreamerUp, api.EventStreamerDown}

	f.mgr.PollNow(ctx)
	f.mgr.PollNow(ctx)
	got := f.events.take(t, f.names, transitions...)
	want := []string{"streamer_down broken", "streamer_down slow", "streamer_up ok"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("after two polls: got events %q, want %q", got, want)
	}
	if h := healthOf(f.mgr); h["ok"] != "up" || h["slow"] != "down" || h["broken"] != "down" {
		t.Errorf("got health %v, want ok up, slow and broken down", h)
	}

	f.sims["slow"].SetLag(0)
	f.sims["broken"].SetFailure(0)
	f.mgr.PollNow(ctx)
	f.mgr.PollNow(ctx)
	got = f.events.take(t, f.names, transitions...)
	want = []string{"streamer_up broken", "streamer_up slow"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("after recovery: got events %q, want %q (each transition once)", got, want)
	}
	st := f.mgr.Fleet().Streamers[0]
	if st.Name != "ok" || len(st.Streams) != 1 || !st.Streams[0].Healthy || st.Hostname != "ok.test" {
		t.Errorf("got streamer %+v, want ok.test with ch1 healthy", st)
	}
}

func TestManagerFollowsStreamerChanges(t *testing.T) {
	f := setup(t, []string{"a", "b"}, nil, func(u map[string]string) store.Seed {
		return store.Seed{Streamers: []store.SeedStreamer{streamer("a", u["a"])}}
	})
	if got := len(f.mgr.Fleet().Streamers); got != 1 {
		t.Fatalf("got %d streamers, want 1", got)
	}
	seed := store.Seed{Streamers: []store.SeedStreamer{streamer("b", f.sims["b"].URL())}}
	if err := f.store.Seed(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	if err := f.mgr.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.mgr.PollNow(context.Background())
	if h := healthOf(f.mgr); h["a"] != "up" || h["b"] != "up" {
		t.Errorf("got health %v, want a and b up after the reload", h)
	}
}

// failoverSeed: ingest on one of a, b; edge on all of e.
func failoverSeed(u map[string]string) store.Seed {
	return store.Seed{
		Streamers: []store.SeedStreamer{streamer("a", u["a"]), streamer("b", u["b"]), streamer("e", u["e"])},
		Pipelines: []store.SeedPipeline{{Name: "p", Steps: []store.SeedStep{
			{Role: "ingest", Placement: "one", Streamers: []string{"a", "b"}},
			{Role: "edge", Placement: "all", Streamers: []string{"e"}}}}},
		Channels: []store.SeedChannel{{Name: "ch1", Title: "One", Pipeline: "p",
			Sources: []store.FleetSource{{URL: "udp://239.0.0.1:1234", Priority: 1}}}},
	}
}

func TestFailoverAndNoReturn(t *testing.T) {
	f := setup(t, []string{"a", "b", "e"}, []string{"ch1"}, failoverSeed)
	ctx := context.Background()
	f.mgr.PollNow(ctx)
	if got := f.placedOn(t, "ch1", 1); len(got) != 1 || got[0] != "a" {
		t.Fatalf("got ingest on %v, want [a]", got)
	}
	f.events.take(t, f.names)

	f.sims["a"].Die()
	f.mgr.PollNow(ctx)
	f.mgr.PollNow(ctx)
	if got := f.placedOn(t, "ch1", 1); len(got) != 1 || got[0] != "b" {
		t.Fatalf("after a died: got ingest on %v, want [b]", got)
	}
	if got, want := f.events.take(t, f.names, api.EventChannelMoved), []string{"channel_moved ch1 a->b"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got moves %q, want %q", got, want)
	}
	t.Run("EdgePullsFromNewIngest", func(t *testing.T) {
		body, err := f.mgr.StreamsFor(secretOf(t, f.mgr), "e.test", nil)
		if err != nil {
			t.Fatal(err)
		}
		want := "m4f://" + strings.TrimPrefix(f.sims["b"].URL(), "http://") + "/ch1"
		if !strings.Contains(string(body), want) {
			t.Errorf("edge config %s does not pull from %s", body, want)
		}
	})

	if err := f.sims["a"].Revive(); err != nil {
		t.Fatal(err)
	}
	f.mgr.PollNow(ctx)
	if h := healthOf(f.mgr); h["a"] != "up" {
		t.Fatalf("a is %s after revival, want up", h["a"])
	}
	if got := f.placedOn(t, "ch1", 1); len(got) != 1 || got[0] != "b" {
		t.Errorf("after a came back: got ingest on %v, want [b] (no move back)", got)
	}
	if got := f.events.take(t, f.names, api.EventChannelMoved); len(got) != 0 {
		t.Errorf("got moves %q after a came back, want none", got)
	}

	t.Run("RestartKeepsPlacement", func(t *testing.T) {
		m2 := f.newManager(t) // nothing polled yet: every streamer unknown
		f.mgr = m2
		if got := f.placedOn(t, "ch1", 1); len(got) != 1 || got[0] != "b" {
			t.Errorf("after a restart: got ingest on %v, want [b] as persisted", got)
		}
	})
}

// TestInstancesAgreeOnPlacement runs two Managers on one database, as two
// Canale instances behind a load balancer do, and lets only the first see
// ingest streamer a fail and move ch1 to b. a then comes back before the
// second ever saw it down. Reloading on the first's announcement (what its
// NOTIFY triggers), the second must place ch1 where the first did: were
// each to keep its own choice, a streamer asking either instance for its
// config_external would get a different answer from each.
func TestInstancesAgreeOnPlacement(t *testing.T) {
	f := setup(t, []string{"a", "b", "e"}, []string{"ch1"}, failoverSeed)
	ctx := context.Background()
	first, second := f.mgr, f.newManager(t)
	first.PollNow(ctx)
	second.PollNow(ctx)
	f.sims["a"].Die()
	first.PollNow(ctx)
	first.PollNow(ctx)
	if got := f.placedOn(t, "ch1", 1); len(got) != 1 || got[0] != "b" {
		t.Fatalf("first instance, after a died: ingest on %v, want [b]", got)
	}
	if err := f.sims["a"].Revive(); err != nil {
		t.Fatal(err)
	}
	second.PollNow(ctx) // a is up, as far as the second instance ever saw
	if err := second.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	f.mgr = second
	if got := f.placedOn(t, "ch1", 1); len(got) != 1 || got[0] != "b" {
		t.Errorf("second instance: ingest on %v, want [b] as the first placed it", got)
	}
	body, err := second.StreamsFor(secretOf(t, second), "b.test", nil)
	if err != nil || !strings.Contains(string(body), `"ch1"`) {
		t.Errorf("second instance's config_external for b lacks ch1 (%v): %s", err, body)
	}
}

func TestPlacementRespectsLimits(t *testing.T) {
	f := setup(t, []string{"a", "b"}, nil, func(u map[string]string) store.Seed {
		a, b := streamer("a", u["a"]), streamer("b", u["b"])
		a.ChannelLimit = 1
		b.BandwidthLimitKbps = fleet.DefaultChannelKbps + 1000 // room for one channel of unknown bitrate
		seed := store.Seed{Streamers: []store.SeedStreamer{a, b},
			Pipelines: []store.SeedPipeline{{Name: "p", Steps: []store.SeedStep{
				{Role: "ingest", Placement: "one", Streamers: []string{"a", "b"}}}}}}
		for _, n := range []string{"ch1", "ch2", "ch3"} {
			seed.Channels = append(seed.Channels, store.SeedChannel{Name: n, Title: n, Pipeline: "p",
				Sources: []store.FleetSource{{URL: "udp://239.0.0.1:1234"}}})
		}
		return seed
	})
	for _, tc := range []struct {
		channel string
		want    string
	}{{"ch1", "a"}, {"ch2", "b"}, {"ch3", ""}} {
		t.Run(tc.channel, func(t *testing.T) {
			got := strings.Join(f.placedOn(t, tc.channel, 1), ",")
			if got != tc.want {
				t.Errorf("got %s on %q, want %q", tc.channel, got, tc.want)
			}
		})
	}
	fl := f.mgr.Fleet()
	for _, s := range fl.Streamers {
		if s.PlacedChannels != 1 {
			t.Errorf("streamer %s has %d channels placed, want 1", s.Name, s.PlacedChannels)
		}
	}
}

func secretOf(t *testing.T, m *fleet.Manager) string {
	t.Helper()
	return m.StreamerSecret()
}
