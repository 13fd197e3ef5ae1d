package simulator_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/server/internal/flussonic/simulator"
)

// authBackend is a tiny authorization backend: a token's rule says how to answer.
type authBackend struct {
	mu    sync.Mutex
	rules map[string]func(http.ResponseWriter)
	seen  []url.Values
	srv   *httptest.Server
}

func allow(headers ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(http.StatusOK)
	}
}

func deny(w http.ResponseWriter) {
	w.Header().Set("X-AuthDuration", "60")
	w.WriteHeader(http.StatusForbidden)
}

func newAuthBackend(t *testing.T) *authBackend {
	t.Helper()
	b := &authBackend{rules: map[string]func(http.ResponseWriter){}}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		b.seen = append(b.seen, r.URL.Query())
		rule, ok := b.rules[r.URL.Query().Get("token")]
		b.mu.Unlock()
		if !ok {
			rule = deny
		}
		rule(w)
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *authBackend) set(token string, rule func(http.ResponseWriter)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rules[token] = rule
}

func (b *authBackend) questions() []url.Values {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]url.Values(nil), b.seen...)
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func start(t *testing.T, opts simulator.Options) *simulator.Simulator {
	t.Helper()
	sim := simulator.New(opts)
	if err := sim.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

// play makes a player request and returns status, body and Location.
func play(t *testing.T, base, path string) (int, string, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout: 5 * time.Second}
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("User-Agent", "VLC/3.0")
	req.Header.Set("Referer", "http://portal")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

func TestPlayAuthorization(t *testing.T) {
	backend := newAuthBackend(t)
	backend.set("good", allow("X-AuthDuration", "60", "X-UserId", "u1"))
	backend.set("moved", func(w http.ResponseWriter) {
		w.Header().Set("Location", "http://other/ch1/index.m3u8")
		w.WriteHeader(http.StatusFound)
	})
	sim := start(t, simulator.Options{AuthURL: backend.srv.URL + "/auth/secret",
		Streams: []simulator.Stream{{Name: "ch1", Alive: true, Clients: 2}, {Name: "news/hd", Alive: true}}})

	status, body, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=good")
	if status != http.StatusOK || !strings.HasPrefix(body, "#EXTM3U\n") {
		t.Fatalf("allowed playlist: got %d %q, want 200 and an m3u8", status, body)
	}
	q := backend.questions()
	if len(q) != 1 {
		t.Fatalf("backend asked %d times, want 1", len(q))
	}
	want := map[string]string{"name": "ch1", "proto": "hls", "ip": "127.0.0.1", "request_type": "new_session",
		"request_number": "0", "token": "good", "qs": "token=good", "stream_clients": "2",
		"total_clients": "0", "user_agent": "VLC/3.0", "referer": "http://portal"}
	for k, v := range want {
		if got := q[0].Get(k); got != v {
			t.Errorf("backend param %s: got %q, want %q", k, got, v)
		}
	}
	if q[0].Get("session_id") == "" || q[0].Has("dvr") {
		t.Errorf("backend params: got session_id %q dvr %q, want an id and no dvr", q[0].Get("session_id"), q[0].Get("dvr"))
	}

	t.Run("CachedWithinAuthDuration", func(t *testing.T) {
		for _, p := range []string{"/ch1/index.m3u8?token=good", "/ch1/s-1.ts?token=good"} {
			if status, _, _ := play(t, sim.URL(), p); status != http.StatusOK {
				t.Errorf("%s: got %d, want 200", p, status)
			}
		}
		if got := len(backend.questions()); got != 1 {
			t.Errorf("backend asked %d times, want 1 (answers cached)", got)
		}
	})
	t.Run("Denied", func(t *testing.T) {
		if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=bad"); status != http.StatusForbidden {
			t.Errorf("got %d, want 403", status)
		}
	})
	t.Run("Redirected", func(t *testing.T) {
		status, _, loc := play(t, sim.URL(), "/ch1/index.m3u8?token=moved")
		if status != http.StatusFound || loc != "http://other/ch1/index.m3u8" {
			t.Errorf("got %d Location %q, want 302 to http://other/ch1/index.m3u8", status, loc)
		}
	})
	t.Run("MPEGTS", func(t *testing.T) {
		status, body, _ := play(t, sim.URL(), "/news/hd/mpegts?token=good")
		if status != http.StatusOK || len(body) == 0 || len(body)%188 != 0 || body[0] != 0x47 {
			t.Errorf("got %d and %d bytes, want 200 and whole TS packets", status, len(body))
		}
		last := backend.questions()[len(backend.questions())-1]
		if last.Get("proto") != "mpegts" || last.Get("name") != "news/hd" {
			t.Errorf("backend got proto %q name %q, want mpegts news/hd", last.Get("proto"), last.Get("name"))
		}
	})
	t.Run("CatchUp", func(t *testing.T) {
		status, body, _ := play(t, sim.URL(), "/ch1/archive-1700000000-3600.m3u8?token=good")
		if status != http.StatusOK || !strings.Contains(body, "#EXT-X-ENDLIST") {
			t.Errorf("got %d %q, want 200 and a finished playlist", status, body)
		}
		last := backend.questions()[len(backend.questions())-1]
		if last.Get("dvr") != "true" || last.Get("request_type") != "new_session" {
			t.Errorf("backend got dvr %q request_type %q, want true new_session", last.Get("dvr"), last.Get("request_type"))
		}
	})
	t.Run("UnknownStream", func(t *testing.T) {
		if status, _, _ := play(t, sim.URL(), "/nope/index.m3u8?token=good"); status != http.StatusNotFound {
			t.Errorf("got %d, want 404", status)
		}
	})
	c := sim.AuthCounters()
	if c.Allowed < 3 || c.Denied != 1 || c.Redirected != 1 || c.CacheHits < 2 || c.Requests != len(backend.questions()) {
		t.Errorf("counters %+v disagree with the backend's %d questions", c, len(backend.questions()))
	}
}

func TestKilledSessionIsDenied(t *testing.T) {
	backend := newAuthBackend(t)
	backend.set("tok", allow("X-AuthDuration", "3600"))
	clock := &fakeClock{now: time.Unix(1700000000, 0)}
	sim := start(t, simulator.Options{AuthURL: backend.srv.URL, Now: clock.Now, MPEGTSHold: time.Hour,
		SessionIdle: 2 * time.Hour, Streams: []simulator.Stream{{Name: "ch1", Alive: true}}})

	// The client's timeout turns "the kill did not end the answer" into an error.
	player := &http.Client{Timeout: 20 * time.Second}
	resp, err := player.Get(sim.URL() + "/ch1/mpegts?token=tok")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, 188)
	if _, err := io.ReadFull(resp.Body, first); err != nil || first[0] != 0x47 {
		t.Fatalf("first TS packet: %v %#x", err, first[0])
	}
	if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=tok"); status != http.StatusOK {
		t.Fatalf("HLS before the kill: got %d, want 200", status)
	}

	backend.set("tok", deny)
	if n := sim.Reauth(context.Background(), "ch1"); n != 2 {
		t.Errorf("Reauth asked about %d sessions, want 2", n)
	}
	last := backend.questions()[len(backend.questions())-1]
	if last.Get("request_type") != "update_session" || last.Get("request_number") != "1" || !last.Has("bytes") {
		t.Errorf("re-check params: got %v, want update_session, request_number 1, bytes", last)
	}
	// The open MPEG-TS answer ends at once; the rest of the body is what was sent before.
	if _, err := io.ReadAll(resp.Body); err != nil {
		t.Errorf("reading killed MPEG-TS answer: %v", err)
	}
	asked := len(backend.questions())
	if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=tok"); status != http.StatusForbidden {
		t.Errorf("HLS after the kill: got %d, want 403", status)
	}
	if got := len(backend.questions()); got != asked {
		t.Errorf("backend asked %d more times, want 0 (refusal cached)", got-asked)
	}
	if got := len(sim.Sessions()); got != 0 {
		t.Errorf("open sessions after the kill: got %d, want 0", got)
	}
}

func TestRecheckExpired(t *testing.T) {
	backend := newAuthBackend(t)
	backend.set("tok", allow("X-AuthDuration", "30"))
	clock := &fakeClock{now: time.Unix(1700000000, 0)}
	sim := start(t, simulator.Options{AuthURL: backend.srv.URL, Now: clock.Now, SessionIdle: time.Hour,
		Streams: []simulator.Stream{{Name: "ch1", Alive: true}}})
	if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=tok"); status != http.StatusOK {
		t.Fatalf("got %d, want 200", status)
	}
	if n := sim.RecheckExpired(context.Background()); n != 0 {
		t.Errorf("before X-AuthDuration: re-checked %d sessions, want 0", n)
	}
	clock.Advance(31 * time.Second)
	backend.set("tok", deny)
	if n := sim.RecheckExpired(context.Background()); n != 1 {
		t.Errorf("after X-AuthDuration: re-checked %d sessions, want 1", n)
	}
	last := backend.questions()[len(backend.questions())-1]
	if last.Get("request_type") != "update_session" || last.Get("duration") != "31" {
		t.Errorf("got request_type %q duration %q, want update_session 31", last.Get("request_type"), last.Get("duration"))
	}
	if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=tok"); status != http.StatusForbidden {
		t.Errorf("after denied re-check: got %d, want 403", status)
	}
}

func TestBackendOutageKeepsDecision(t *testing.T) {
	backend := newAuthBackend(t)
	backend.set("tok", allow("X-AuthDuration", "30"))
	clock := &fakeClock{now: time.Unix(1700000000, 0)}
	sim := start(t, simulator.Options{AuthURL: backend.srv.URL, Now: clock.Now, SessionIdle: time.Hour,
		Streams: []simulator.Stream{{Name: "ch1", Alive: true}}})
	if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=tok"); status != http.StatusOK {
		t.Fatalf("got %d, want 200", status)
	}
	backend.srv.Close()
	clock.Advance(31 * time.Second)
	if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=tok"); status != http.StatusOK {
		t.Errorf("open session while backend is down: got %d, want 200 (stale decision)", status)
	}
	if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=new"); status != http.StatusForbidden {
		t.Errorf("new session while backend is down: got %d, want 403", status)
	}
	if got := sim.AuthCounters().BackendErrors; got != 2 {
		t.Errorf("BackendErrors: got %d, want 2", got)
	}
}

func TestMaxSessions(t *testing.T) {
	backend := newAuthBackend(t)
	for _, tok := range []string{"a", "b"} {
		backend.set(tok, allow("X-AuthDuration", "600", "X-UserId", "u1", "X-Max-Sessions", "1"))
	}
	sim := start(t, simulator.Options{AuthURL: backend.srv.URL, Streams: []simulator.Stream{{Name: "ch1", Alive: true}}})
	for _, tok := range []string{"a", "b"} {
		if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token="+tok); status != http.StatusOK {
			t.Fatalf("token %s: got %d, want 200", tok, status)
		}
	}
	if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=a"); status != http.StatusForbidden {
		t.Errorf("older session over the limit: got %d, want 403 (banned)", status)
	}
	if status, _, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=b"); status != http.StatusOK {
		t.Errorf("newest session: got %d, want 200", status)
	}
}

func TestAllowedDVRRanges(t *testing.T) {
	backend := newAuthBackend(t)
	backend.set("tok", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-AuthDuration", "60")
		io.WriteString(w, `{"allowed_dvr_ranges":[{"opened_at":1700000000,"closed_at":1700003600}]}`)
	})
	sim := start(t, simulator.Options{AuthURL: backend.srv.URL, Streams: []simulator.Stream{{Name: "ch1", Alive: true}}})
	tests := []struct {
		path string
		want int
	}{
		{"/ch1/archive-1700000100-600.m3u8?token=tok", http.StatusOK},
		{"/ch1/archive-1690000000-600.m3u8?token=tok", http.StatusForbidden},
		{"/ch1/index.m3u8?token=tok", http.StatusOK},
	}
	for _, tt := range tests {
		if status, _, _ := play(t, sim.URL(), tt.path); status != tt.want {
			t.Errorf("%s: got %d, want %d", tt.path, status, tt.want)
		}
	}
}
