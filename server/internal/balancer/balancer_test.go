package balancer

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"canale/server/internal/fleet"

	"github.com/gin-gonic/gin"
)

// table is a Router over fixed edges: the balancer's input is plain data,
// so its tests give it that data instead of a fleet.
type table struct {
	mode     string
	channels map[string][]fleet.Edge // channels in Canale
	auto     map[string][]fleet.Edge // autobalancer finds
}

func (r table) Edges(name string) ([]fleet.Edge, bool) {
	if e, ok := r.channels[name]; ok {
		return e, true
	}
	return r.auto[name], false
}

func (r table) BalanceMode() string { return r.mode }

func edge(id int64, out, clients, limit int64) fleet.Edge {
	return fleet.Edge{StreamerID: id, URL: "http://edge" + string(rune('0'+id)) + ".example:8080/", Up: true,
		StreamHealthy: true, OutputKbps: out, Clients: clients, BandwidthLimitKbps: limit}
}

// engine mounts the balancer as the app does: NoRoute at the root, /lb/-
// as a group, next to an API route that must keep working.
func engine(r Router) (*gin.Engine, *Balancer) {
	gin.SetMode(gin.TestMode)
	b := New(r)
	b.intn = func(int) int { return 0 }
	e := gin.New()
	e.GET("/api/v1/me", func(c *gin.Context) { c.String(http.StatusOK, "api") })
	e.GET("/noop", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	b.Register(e.Group("/lb/-"))
	e.NoRoute(b.NoRoute)
	return e, b
}

func get(e http.Handler, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
}

func TestModes(t *testing.T) {
	// 1: low bitrate, many clients, near its limit; 2: high bitrate, few
	// clients, far from its limit; 3: medium, medium, no limit but reports usage.
	edges := []fleet.Edge{edge(1, 900, 500, 1000), edge(2, 5000, 10, 100000), edge(3, 3000, 100, 0)}
	edges[2].BandwidthUsage = 90
	tests := []struct {
		mode string
		want string
	}{
		{"bitrate", "http://edge1.example:8080"},
		{"clients", "http://edge2.example:8080"},
		{"usage", "http://edge2.example:8080"},
		{"", "http://edge2.example:8080"}, // usage is the default
	}
	for _, tc := range tests {
		t.Run("Mode_"+tc.mode, func(t *testing.T) {
			e, _ := engine(table{mode: tc.mode, channels: map[string][]fleet.Edge{"ch1": edges}})
			w := get(e, "/ch1/index.m3u8?token=abc")
			if want := tc.want + "/ch1/index.m3u8?token=abc"; w.Code != http.StatusFound || w.Header().Get("Location") != want {
				t.Errorf("got %d to %q, want 302 to %q", w.Code, w.Header().Get("Location"), want)
			}
		})
	}
}

func TestFullEdgeOnlyAsLastResort(t *testing.T) {
	full := edge(1, 1000, 0, 1000)
	busy := edge(2, 90000, 900, 0)
	e, _ := engine(table{mode: "clients", channels: map[string][]fleet.Edge{"ch1": {full, busy}}})
	if got := get(e, "/ch1/mpegts").Header().Get("Location"); got != "http://edge2.example:8080/ch1/mpegts" {
		t.Errorf("got %q, want edge2: edge1 is at its bandwidth limit", got)
	}
}

func TestNeverADeadEdge(t *testing.T) {
	down := edge(1, 0, 0, 0)
	down.Up = false
	dead := edge(2, 0, 0, 0)
	dead.StreamHealthy = false
	alive := edge(3, 99999, 9999, 0)
	for _, mode := range []string{"bitrate", "clients", "usage"} {
		t.Run(mode, func(t *testing.T) {
			e, b := engine(table{mode: mode, channels: map[string][]fleet.Edge{"ch1": {down, dead, alive}}})
			for i := range 3 {
				b.intn = func(n int) int { return i % n }
				if got := get(e, "/ch1/index.m3u8").Header().Get("Location"); got != "http://edge3.example:8080/ch1/index.m3u8" {
					t.Fatalf("got %q, want edge3, the only live one", got)
				}
			}
		})
	}
}

func TestTiesBrokenAtRandom(t *testing.T) {
	e, b := engine(table{mode: "bitrate", channels: map[string][]fleet.Edge{"ch1": {edge(1, 10, 0, 0), edge(2, 10, 0, 0), edge(3, 99, 0, 0)}}})
	seen := map[string]bool{}
	for i := range 2 {
		b.intn = func(n int) int {
			if n != 2 {
				t.Fatalf("random pick among %d edges, want among the 2 tied", n)
			}
			return i
		}
		seen[get(e, "/ch1/index.m3u8").Header().Get("Location")] = true
	}
	if len(seen) != 2 {
		t.Errorf("got %v, want both tied edges", seen)
	}
}

func TestPlaybackURLs(t *testing.T) {
	e, _ := engine(table{channels: map[string][]fleet.Edge{"ch1": {edge(1, 0, 0, 0)}},
		auto: map[string][]fleet.Edge{"live/cam1": {edge(2, 0, 0, 0)}}})
	tests := []struct {
		name, path, want string
	}{
		{"HLS", "/ch1/index.m3u8?token=t1", "http://edge1.example:8080/ch1/index.m3u8?token=t1"},
		{"MPEGTS", "/ch1/mpegts?token=t1", "http://edge1.example:8080/ch1/mpegts?token=t1"},
		{"DASH", "/ch1/Manifest.mpd?token=t1", "http://edge1.example:8080/ch1/Manifest.mpd?token=t1"},
		{"Archive", "/ch1/archive-1700000000-3600.m3u8?token=t1", "http://edge1.example:8080/ch1/archive-1700000000-3600.m3u8?token=t1"},
		{"LegacyIndex", "/ch1/index-1700000000-3600.m3u8?token=t1", "http://edge1.example:8080/ch1/index-1700000000-3600.m3u8?token=t1"},
		{"Event", "/ch1/archive-1700000000-now.m3u8?token=t1", "http://edge1.example:8080/ch1/archive-1700000000-now.m3u8?token=t1"},
		{"ArchiveTS", "/ch1/archive-1700000000-60.ts?token=t1", "http://edge1.example:8080/ch1/archive-1700000000-60.ts?token=t1"},
		{"TimeshiftAbsTS", "/ch1/timeshift_abs-1700000000.ts?token=t1", "http://edge1.example:8080/ch1/timeshift_abs-1700000000.ts?token=t1"},
		{"TimeshiftAbsHLS", "/ch1/timeshift_abs-1700000000.m3u8?token=t1", "http://edge1.example:8080/ch1/timeshift_abs-1700000000.m3u8?token=t1"},
		{"TimeshiftRel", "/ch1/timeshift_rel-600.ts?token=t1", "http://edge1.example:8080/ch1/timeshift_rel-600.ts?token=t1"},
		{"Tracks", "/ch1/tracks-v1a1/mono.m3u8?token=t1", "http://edge1.example:8080/ch1/tracks-v1a1/mono.m3u8?token=t1"},
		{"LBPrefix", "/lb/-/ch1/index.m3u8?token=t1&x=1", "http://edge1.example:8080/ch1/index.m3u8?token=t1&x=1"},
		{"AutobalancerSlashName", "/live/cam1/index.m3u8?token=t2", "http://edge2.example:8080/live/cam1/index.m3u8?token=t2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(e, tc.path)
			if w.Code != http.StatusFound || w.Header().Get("Location") != tc.want {
				t.Errorf("GET %s: got %d to %q, want 302 to %q", tc.path, w.Code, w.Header().Get("Location"), tc.want)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	down := edge(1, 0, 0, 0)
	down.Up = false
	e, _ := engine(table{channels: map[string][]fleet.Edge{"ch1": {down}, "empty": nil},
		auto: map[string][]fleet.Edge{"gone": {down}}})
	tests := []struct {
		name, path string
		status     int
	}{
		{"NoLiveEdge", "/ch1/index.m3u8?token=t", http.StatusServiceUnavailable},
		{"NotPlaced", "/empty/index.m3u8", http.StatusServiceUnavailable},
		{"AutobalancerDead", "/gone/index.m3u8", http.StatusServiceUnavailable},
		{"Unknown", "/nothing/index.m3u8", http.StatusNotFound},
		{"NotPlayback", "/ch1/whatever.html", http.StatusNotFound},
		{"LBNotPlayback", "/lb/-/ch1", http.StatusNotFound},
		{"APIUntouched", "/api/v1/me", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if w := get(e, tc.path); w.Code != tc.status {
				t.Errorf("GET %s: got %d %q, want %d", tc.path, w.Code, w.Body.String(), tc.status)
			}
		})
	}
}

// BenchmarkBalancerRedirect and BenchmarkNoop run on the same engine, so
// their ratio is the balancer's own cost per request.
func BenchmarkBalancerRedirect(b *testing.B) {
	edges := make([]fleet.Edge, 8)
	for i := range edges {
		edges[i] = edge(int64(i+1), int64(1000*(8-i)), 10, 100000)
	}
	e, _ := engine(table{mode: "usage", channels: map[string][]fleet.Edge{"ch1": edges}})
	req := httptest.NewRequest(http.MethodGet, "/ch1/archive-1700000000-3600.m3u8?token=abcdef", nil)
	for b.Loop() {
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		if w.Code != http.StatusFound {
			b.Fatalf("got %d", w.Code)
		}
	}
}

func BenchmarkNoop(b *testing.B) {
	e, _ := engine(table{})
	req := httptest.NewRequest(http.MethodGet, "/noop", nil)
	for b.Loop() {
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		if w.Code != http.StatusNoContent {
			b.Fatalf("got %d", w.Code)
		}
	}
}

// TestRedirectCarriesNoCredentials: an edge URL stored with a login and
// password (from before api.Streamer refused them) is stripped of them in
// the redirect; the viewer's own token stays.
func TestRedirectCarriesNoCredentials(t *testing.T) {
	for _, base := range []string{"http://admin:s3cret@edge1.example:8080/", "http://admin@edge1.example:8080",
		"http://a%40b:p@ss@edge1.example:8080/"} {
		e1 := edge(1, 0, 0, 0)
		e1.URL = base
		e, _ := engine(table{channels: map[string][]fleet.Edge{"ch1": {e1}}})
		for _, path := range []string{"/ch1/index.m3u8?token=abc", "/lb/-/ch1/index.m3u8?token=abc"} {
			w := get(e, path)
			if want := "http://edge1.example:8080/ch1/index.m3u8?token=abc"; w.Code != http.StatusFound || w.Header().Get("Location") != want {
				t.Errorf("edge %s, %s: got %d to %q, want 302 to %q", base, path, w.Code, w.Header().Get("Location"), want)
			}
		}
	}
}
