package flussonic_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"canale/server/internal/flussonic"
	"canale/server/internal/flussonic/simulator"
)

func startSimulator(t testing.TB, opts simulator.Options) *simulator.Simulator {
	t.Helper()
	sim := simulator.New(opts)
	if err := sim.Start(); err != nil {
		t.Fatalf("start simulator: %v", err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

func newClient(t testing.TB, cfg flussonic.Config) *flussonic.Client {
	t.Helper()
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	c, err := flussonic.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func manyStreams(n int) []simulator.Stream {
	out := make([]simulator.Stream, n)
	for i := range out {
		out[i] = simulator.Stream{Name: fmt.Sprintf("ch%05d", i), Alive: i%10 != 0,
			InputKbps: int64(1000 + i), OutputKbps: int64(2000 + i), Clients: int64(i % 7)}
	}
	return out
}

func TestStreamsPaging(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Login: "root", Password: "secret",
		Streams: manyStreams(2500), MaxPageLimit: 300})
	for _, limit := range []int{100, 1000} {
		t.Run(fmt.Sprintf("Limit%d", limit), func(t *testing.T) {
			c := newClient(t, flussonic.Config{BaseURL: sim.URL(), Login: "root", Password: "secret", PageLimit: limit})
			got, err := c.Streams(context.Background())
			if err != nil {
				t.Fatalf("Streams: %v", err)
			}
			if len(got) != 2500 {
				t.Fatalf("got %d streams, want 2500", len(got))
			}
			for i, s := range got {
				if want := fmt.Sprintf("ch%05d", i); s.Name != want {
					t.Fatalf("stream %d: got name %q, want %q", i, s.Name, want)
				}
			}
			want := flussonic.Stream{Name: "ch01234", Static: true, Status: "running", Alive: true,
				InputBitrateKbps: 2234, OutputBitrateKbps: 3234, Clients: 2}
			if diff := cmp.Diff(want, got[1234]); diff != "" {
				t.Errorf("ch01234 (-want +got):\n%s", diff)
			}
			if got[10].Healthy() {
				t.Errorf("ch00010 Healthy() = true, want false (not alive)")
			}
		})
	}
}

func TestCredentials(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Login: "root", Password: "secret", Streams: manyStreams(3)})
	tests := []struct {
		name    string
		cfg     flussonic.Config
		wantErr error
	}{
		{"Basic", flussonic.Config{Login: "root", Password: "secret"}, nil},
		{"Bearer", flussonic.Config{Key: flussonic.BearerKey("root", "secret")}, nil},
		{"WrongPassword", flussonic.Config{Login: "root", Password: "nope"}, flussonic.ErrUnauthorized},
		{"WrongKey", flussonic.Config{Key: "bm9wZQ=="}, flussonic.ErrUnauthorized},
		{"None", flussonic.Config{}, flussonic.ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.BaseURL = sim.URL() + "/streamer/api/v3"
			c := newClient(t, tt.cfg)
			_, err := c.Streams(context.Background())
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Streams: got error %v, want %v", err, tt.wantErr)
			}
			_, err = c.ServerStats(context.Background())
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("ServerStats: got error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		name    string
		fault   func(*simulator.Simulator)
		wantErr error
		notErr  []error
	}{
		{"Timeout", func(s *simulator.Simulator) { s.SetLag(3 * time.Second) }, flussonic.ErrTimeout,
			[]error{flussonic.ErrServer, flussonic.ErrUnauthorized}},
		{"ServerError", func(s *simulator.Simulator) { s.SetFailure(http.StatusInternalServerError) }, flussonic.ErrServer,
			[]error{flussonic.ErrTimeout, flussonic.ErrUnreachable}},
		{"Dead", func(s *simulator.Simulator) { s.Die() }, flussonic.ErrUnreachable,
			[]error{flussonic.ErrTimeout, flussonic.ErrServer}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := startSimulator(t, simulator.Options{Streams: manyStreams(3)})
			tt.fault(sim)
			c := newClient(t, flussonic.Config{BaseURL: sim.URL(),
				HTTPClient: &http.Client{Timeout: 200 * time.Millisecond}})
			_, err := c.ServerStats(context.Background())
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want kind %v", err, tt.wantErr)
			}
			for _, not := range tt.notErr {
				if errors.Is(err, not) {
					t.Errorf("error %v is also %v", err, not)
				}
			}
			if err := sim.Revive(); err != nil {
				t.Fatalf("Revive: %v", err)
			}
			if _, err := c.ServerStats(context.Background()); err != nil {
				t.Errorf("after Revive: got error %v, want none", err)
			}
		})
	}
}

// TestDialects checks that every generation of the API normalises to the
// same figures for the fields it carries.
func TestDialects(t *testing.T) {
	streams := []simulator.Stream{
		{Name: "a", Alive: true, InputKbps: 3000, Clients: 4},
		{Name: "b", Alive: false, InputKbps: 0, Clients: 0, TSDelayMs: 20000},
	}
	want := []flussonic.Stream{
		{Name: "a", Static: true, Status: "running", Alive: true, InputBitrateKbps: 3000, Clients: 4},
		{Name: "b", Static: true, Status: "error", Alive: false, TSDelayMs: 20000},
	}
	tests := []struct {
		name       string
		dialect    simulator.Dialect
		wantLegacy bool
	}{
		{"V3", simulator.DialectV3, false},
		{"V3Old", simulator.DialectV3Old, false},
		{"Legacy", simulator.DialectLegacy, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := startSimulator(t, simulator.Options{Dialect: tt.dialect, Streams: streams,
				Login: "u", Password: "p", Version: "9.9"})
			c := newClient(t, flussonic.Config{BaseURL: sim.URL(), Login: "u", Password: "p"})
			got, err := c.Streams(context.Background())
			if err != nil {
				t.Fatalf("Streams: %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("streams (-want +got):\n%s", diff)
			}
			stats, err := c.ServerStats(context.Background())
			if err != nil {
				t.Fatalf("ServerStats: %v", err)
			}
			if stats.Version != "9.9" || stats.Clients != 4 || stats.InputKbps != 3000 || stats.Legacy != tt.wantLegacy {
				t.Errorf("ServerStats: got %+v, want version 9.9, 4 clients, 3000 kbit/s in, legacy %v", stats, tt.wantLegacy)
			}
			if c.Legacy() != tt.wantLegacy {
				t.Errorf("Legacy() = %v, want %v", c.Legacy(), tt.wantLegacy)
			}
		})
	}
}

func TestSessions(t *testing.T) {
	sim := startSimulator(t, simulator.Options{Streams: manyStreams(2)})
	c := newClient(t, flussonic.Config{BaseURL: sim.URL()})
	resp, err := http.Get(sim.URL() + "/ch00001/index.m3u8?token=abc")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	open := sim.Sessions()
	if len(open) != 1 {
		t.Fatalf("got %d open sessions, want 1", len(open))
	}
	ctx := context.Background()
	if n, err := c.ReauthStream(ctx, "ch00001"); err != nil || n != 1 {
		t.Errorf("ReauthStream: got %d, %v; want 1, nil", n, err)
	}
	if _, err := c.ReauthStream(ctx, "nope"); !errors.Is(err, flussonic.ErrNotFound) {
		t.Errorf("ReauthStream unknown stream: got %v, want ErrNotFound", err)
	}
	if err := c.DeleteSession(ctx, open[0].ID); err != nil {
		t.Errorf("DeleteSession: %v", err)
	}
	if got := len(sim.Sessions()); got != 0 {
		t.Errorf("after DeleteSession: got %d open sessions, want 0", got)
	}
	if err := c.DeleteSession(ctx, open[0].ID); !errors.Is(err, flussonic.ErrNotFound) {
		t.Errorf("DeleteSession again: got %v, want ErrNotFound", err)
	}
}
