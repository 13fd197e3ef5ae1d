package fleet_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/fleet"
	"canale/server/internal/flussonic"
	"canale/server/internal/flussonic/simulator"
)

// recorder collects published events.
type recorder struct {
	mu     sync.Mutex
	events []fleet.Event
}

func (r *recorder) Publish(e fleet.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// take returns the events since the last call as "type streamer[/stream]".
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		s := string(e.Type) + " " + e.StreamerID
		if e.Stream != "" {
			s += "/" + e.Stream
		}
		out = append(out, s)
	}
	r.events = nil
	return out
}

func startSim(t testing.TB, name string, streams int) *simulator.Simulator {
	t.Helper()
	list := make([]simulator.Stream, streams)
	for i := range list {
		list[i] = simulator.Stream{Name: fmt.Sprintf("%s-ch%04d", name, i), Alive: true, InputKbps: 3000, OutputKbps: 9000, Clients: 2}
	}
	sim := simulator.New(simulator.Options{Hostname: name, Login: "root", Password: "pw", Streams: list})
	if err := sim.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

func target(t testing.TB, id string, sim *simulator.Simulator, interval, timeout time.Duration) fleet.Target {
	t.Helper()
	c, err := flussonic.New(flussonic.Config{BaseURL: sim.URL(), Login: "root", Password: "pw",
		HTTPClient: &http.Client{Timeout: timeout}})
	if err != nil {
		t.Fatal(err)
	}
	return fleet.Target{StreamerID: id, Source: c, Interval: interval, Timeout: timeout}
}

func sameSet(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	count := map[string]int{}
	for _, g := range got {
		count[g]++
	}
	for _, w := range want {
		count[w]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestTransitionsPublishedOnce(t *testing.T) {
	good, slow, broken, flaky := startSim(t, "good", 3), startSim(t, "slow", 1), startSim(t, "broken", 1), startSim(t, "flaky", 1)
	rec := &recorder{}
	p := fleet.New(fleet.Config{Publisher: rec, DownAfter: 2})
	const timeout = 300 * time.Millisecond
	p.SetTargets([]fleet.Target{
		target(t, "good", good, time.Hour, 5*time.Second), target(t, "slow", slow, time.Hour, timeout),
		target(t, "broken", broken, time.Hour, 5*time.Second), target(t, "flaky", flaky, time.Hour, 5*time.Second),
	})
	slow.SetLag(10 * time.Second)
	broken.SetFailure(http.StatusInternalServerError)
	ctx := context.Background()

	steps := []struct {
		name   string
		before func()
		want   []string
	}{
		{"FirstPoll", nil, []string{"streamer_up good", "streamer_up flaky"}},
		{"SecondFailureIsDown", flaky.Die, []string{"streamer_down slow", "streamer_down broken"}},
		{"FlakyDown", nil, []string{"streamer_down flaky"}},
		{"NothingNew", func() { good.UpdateStream("good-ch0001", func(s *simulator.Stream) { s.Alive = false }) },
			[]string{"stream_down good/good-ch0001"}},
		{"StillDown", nil, nil},
		{"ComeBack", func() {
			if err := flaky.Revive(); err != nil {
				t.Fatal(err)
			}
			broken.SetFailure(0)
			good.UpdateStream("good-ch0001", func(s *simulator.Stream) { s.Alive = true })
			good.UpdateStream("good-ch0002", func(s *simulator.Stream) { s.InputErrorRate = 3 })
		}, []string{"streamer_up flaky", "streamer_up broken", "stream_up good/good-ch0001", "input_errors good/good-ch0002"}},
		{"Steady", nil, nil},
		{"ErrorsCleared", func() { good.UpdateStream("good-ch0002", func(s *simulator.Stream) { s.InputErrorRate = 0 }) },
			[]string{"input_errors_cleared good/good-ch0002"}},
	}
	for _, step := range steps {
		if step.before != nil {
			step.before()
		}
		p.PollNow(ctx)
		if got := rec.take(); !sameSet(got, step.want) {
			t.Errorf("%s: got events %q, want %q", step.name, got, step.want)
		}
	}

	snap := p.Snapshot()
	for id, want := range map[string]fleet.Health{"good": fleet.HealthUp, "slow": fleet.HealthDown,
		"broken": fleet.HealthUp, "flaky": fleet.HealthUp} {
		if got := snap.Streamers[id].Health; got != want {
			t.Errorf("%s health: got %s, want %s", id, got, want)
		}
	}
	if e := snap.Streamers["slow"].LastError; !strings.Contains(e, "timed out") {
		t.Errorf("slow LastError: got %q, want a timeout", e)
	}
	g := snap.Streamers["good"]
	if g.Stats.Version != "24.12" || g.Stats.InputKbps != 9000 || len(g.Streams) != 3 || g.Streams["good-ch0000"].Clients != 2 {
		t.Errorf("good state: got %+v", g)
	}
}

// countingSource counts finished polls of a real client.
type countingSource struct {
	fleet.Source
	done atomic.Int64
}

func (c *countingSource) AppendStreams(ctx context.Context, dst []flussonic.Stream) ([]flussonic.Stream, error) {
	defer c.done.Add(1)
	return c.Source.AppendStreams(ctx, dst)
}

func (c *countingSource) ServerStats(ctx context.Context) (flussonic.ServerStats, error) {
	s, err := c.Source.ServerStats(ctx)
	if err != nil {
		c.done.Add(1)
	}
	return s, err
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 1000 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("gave up waiting for %s", what)
}

func TestSlowStreamerDoesNotDelayOthers(t *testing.T) {
	fast, slow := startSim(t, "fast", 2), startSim(t, "slow", 2)
	slow.SetLag(time.Minute)
	fastSrc := &countingSource{Source: target(t, "fast", fast, 0, 0).Source}
	slowSrc := &countingSource{Source: target(t, "slow", slow, 0, 0).Source}
	rec := &recorder{}
	p := fleet.New(fleet.Config{Publisher: rec})
	p.SetTargets([]fleet.Target{
		{StreamerID: "fast", Source: fastSrc, Interval: 10 * time.Millisecond, Timeout: 5 * time.Second},
		{StreamerID: "slow", Source: slowSrc, Interval: 10 * time.Millisecond, Timeout: 30 * time.Second},
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	waitFor(t, "five polls of the fast streamer", func() bool { return fastSrc.done.Load() >= 5 })
	if n := slowSrc.done.Load(); n != 0 {
		t.Errorf("slow streamer finished %d polls, want 0 (it is still hanging)", n)
	}

	t.Run("TargetsChangeAtRunTime", func(t *testing.T) {
		late := startSim(t, "late", 1)
		p.SetTargets([]fleet.Target{
			{StreamerID: "fast", Source: fastSrc, Interval: 10 * time.Millisecond, Timeout: 5 * time.Second},
			target(t, "late", late, 10*time.Millisecond, 5*time.Second),
		})
		waitFor(t, "the late streamer to come up", func() bool {
			s, ok := p.Streamer("late")
			return ok && s.Up()
		})
		if _, ok := p.Streamer("slow"); ok {
			t.Errorf("removed streamer still in the snapshot")
		}
	})
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

func TestHistory(t *testing.T) {
	sim := startSim(t, "h", 2)
	clock := time.Unix(1700000000, 0)
	p := fleet.New(fleet.Config{HistoryWindow: 3 * time.Minute, HistoryStep: time.Minute,
		Now: func() time.Time { return clock }})
	p.SetTargets([]fleet.Target{target(t, "h", sim, time.Hour, 5*time.Second)})
	ctx := context.Background()
	for i := range 5 {
		sim.SetLoad(float64(10*i), 50)
		p.PollNow(ctx)
		clock = clock.Add(30 * time.Second) // two polls per step: the later one stays
		sim.SetLoad(float64(10*i+5), 50)
		p.PollNow(ctx)
		clock = clock.Add(30 * time.Second)
	}
	got := p.History("h")
	var cpus []float64
	for _, s := range got {
		cpus = append(cpus, s.CPU)
	}
	if want := []float64{25, 35, 45}; fmt.Sprint(cpus) != fmt.Sprint(want) {
		t.Errorf("history CPU: got %v, want %v", cpus, want)
	}
	sh := p.StreamHistory("h", "h-ch0001")
	if len(sh) != 3 || !sh[2].Healthy || sh[2].InputKbps != 3000 || !sh[0].At.Before(sh[2].At) {
		t.Errorf("stream history: got %+v, want 3 healthy samples at 3000 kbit/s, oldest first", sh)
	}
}
