package simulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"canale/server/internal/flussonic/simulator"
)

// configBackend serves <base>/streams for config_external, two streams per
// page, and remembers the queries it got.
type configBackend struct {
	mu      sync.Mutex
	streams []map[string]any
	fail    bool
	queries []string
	srv     *httptest.Server
}

func newConfigBackend(t *testing.T) *configBackend {
	b := &configBackend{}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.queries = append(b.queries, r.URL.RawQuery)
		if r.URL.Path != "/cfg/streams" || b.fail {
			http.Error(w, "no", http.StatusServiceUnavailable)
			return
		}
		list := b.streams
		if name := r.URL.Query().Get("name"); name != "" {
			list = nil
			for _, s := range b.streams {
				if s["name"] == name {
					list = append(list, s)
				}
			}
		}
		start := 0
		if c := r.URL.Query().Get("cursor"); c == "p2" {
			start = 2
		}
		end := min(start+2, len(list))
		body := map[string]any{"streams": list[start:end]}
		if end < len(list) {
			body["next"] = "p2"
		}
		json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *configBackend) set(streams ...map[string]any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.streams = streams
}

func names(sim *simulator.Simulator) []string {
	var out []string
	for _, s := range sim.Streams() {
		out = append(out, s.Name)
	}
	return out
}

func TestConfigExternal(t *testing.T) {
	cfg := newConfigBackend(t)
	cfg.set(
		map[string]any{"name": "ch1", "static": true, "on_play": map[string]any{"url": "http://mw/auth/s1"}},
		map[string]any{"name": "ch2", "inputs": []any{map[string]any{"url": "udp://239.0.0.2:1234"}}},
		map[string]any{"name": "ch3", "static": false, "auth": "http://mw/old-auth"},
	)
	sim := start(t, simulator.Options{Hostname: "edge1", ConfigExternal: cfg.srv.URL + "/cfg",
		Streams: []simulator.Stream{{Name: "local", Alive: true}}})

	if got, want := names(sim), []string{"ch1", "ch2", "ch3", "local"}; !equal(got, want) {
		t.Fatalf("after start: got streams %v, want %v", got, want)
	}
	if q := cfg.queries[0]; q != "host=edge1" {
		t.Errorf("first query: got %q, want host=edge1", q)
	}
	ch1, _ := sim.Stream("ch1")
	ch3, _ := sim.Stream("ch3")
	if ch1.AuthURL != "http://mw/auth/s1" || !ch1.External || ch1.OnDemand || ch3.AuthURL != "http://mw/old-auth" || !ch3.OnDemand {
		t.Errorf("adopted config: got ch1 %+v ch3 %+v", ch1, ch3)
	}

	cfg.set(map[string]any{"name": "ch2"}, map[string]any{"name": "ch4"})
	if err := sim.Refresh(context.Background()); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if got, want := names(sim), []string{"ch2", "ch4", "local"}; !equal(got, want) {
		t.Errorf("after refresh: got streams %v, want %v", got, want)
	}

	t.Run("DynamicLookup", func(t *testing.T) {
		cfg.set(map[string]any{"name": "ch2"}, map[string]any{"name": "ch4"}, map[string]any{"name": "late/one"})
		if status, _, _ := play(t, sim.URL(), "/late/one/index.m3u8?token=x"); status != http.StatusOK {
			t.Errorf("play unknown stream listed by config_external: got %d, want 200", status)
		}
		if q := cfg.queries[len(cfg.queries)-1]; q != "host=edge1&name=late%2Fone" {
			t.Errorf("lookup query: got %q, want host=edge1&name=late%%2Fone", q)
		}
		if status, _, _ := play(t, sim.URL(), "/ghost/index.m3u8?token=x"); status != http.StatusNotFound {
			t.Errorf("play stream unknown to config_external: got %d, want 404", status)
		}
	})

	t.Run("BackendFailing", func(t *testing.T) {
		before := names(sim)
		cfg.mu.Lock()
		cfg.fail = true
		cfg.mu.Unlock()
		if err := sim.Refresh(context.Background()); err == nil {
			t.Fatalf("Refresh against a failing backend: got no error")
		}
		if got := names(sim); !equal(got, before) {
			t.Errorf("streams changed on a failed refresh: got %v, want %v", got, before)
		}
		resp, err := http.Get(sim.URL() + "/streamer/api/v3/config/stats")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var stats struct {
			Status string `json:"streamer_status"`
		}
		json.NewDecoder(resp.Body).Decode(&stats)
		if stats.Status != "config_external_error" {
			t.Errorf("streamer_status: got %q, want config_external_error", stats.Status)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestStreamListPagingAndSelect(t *testing.T) {
	sim := start(t, simulator.Options{Streams: []simulator.Stream{{Name: "a"}, {Name: "b"}, {Name: "c"}}})
	var got []map[string]any
	cursor := ""
	for range 10 {
		resp, err := http.Get(sim.URL() + "/streamer/api/v3/streams?select=name,stats.alive&limit=2&cursor=" + cursor)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Streams []map[string]any `json:"streams"`
			Next    *string          `json:"next"`
		}
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		got = append(got, page.Streams...)
		if page.Next == nil {
			break
		}
		cursor = *page.Next
	}
	if len(got) != 3 || got[2]["name"] != "c" {
		t.Fatalf("got %v, want streams a, b, c", got)
	}
	stats, _ := got[0]["stats"].(map[string]any)
	if len(got[0]) != 2 || len(stats) != 1 || stats["alive"] != false {
		t.Errorf("select=name,stats.alive: got %v, want only name and stats.alive", got[0])
	}
}
