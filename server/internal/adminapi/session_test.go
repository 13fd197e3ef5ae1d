package adminapi_test

import (
	"net"
	"net/http"
	"testing"
	"time"

	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/store"
	"canale/shared/api"
)

// TestSessionRoutes plays through two registered simulated streamers and
// reads the sessions back through the admin API: who watches what now by
// channel, subscriber and streamer, with what the issue asks recorded; then
// kills one, which its streamer is asked to drop and history keeps.
func TestSessionRoutes(t *testing.T) {
	srv, ctx := startPlayServer(t)
	authURL := srv.App.PlayAuth().AuthURL()
	// Each streamer listens on, and calls Canale from, its own loopback
	// address: that is how Canale tells which streamer asks.
	e1, e2 := sessionSim(t, "127.0.0.2", authURL), sessionSim(t, "127.0.0.3", authURL)
	seed := store.Seed{
		Streamers: []store.SeedStreamer{{Name: "e1", APIURL: e1.URL()}, {Name: "e2", APIURL: e2.URL()}},
		Channels:  []store.SeedChannel{{Name: "ch1", Title: "One"}, {Name: "ch2", Title: "Two"}},
		Packages:  []store.SeedPackage{{Name: "basic", Channels: []string{"ch1", "ch2"}}},
		Subscribers: []store.SeedSubscriber{{Login: "carol", PasswordHash: "x", Token: "tok-carol", Packages: []string{"basic"}},
			{Login: "dave", PasswordHash: "x", Token: "tok-dave", Packages: []string{"basic"}}},
	}
	seedAndLoad(t, srv, seed)
	sessionPlay(t, e1, "127.0.0.9", "ch1", "tok-carol")
	sessionPlay(t, e2, "127.0.0.9", "ch2", "tok-carol")
	sessionPlay(t, e2, "127.0.0.10", "ch2", "tok-dave")
	if err := srv.App.PlayAuth().Flush(ctx); err != nil {
		t.Fatal(err)
	}
	carol, _ := srv.App.Catalog().SubscriberByToken("tok-carol")
	streamers := map[string]int64{}
	for _, s := range srv.App.Catalog().Streamers() {
		streamers[s.Name] = s.ID
	}
	list := func(f api.PlaySessionFilter) []api.PlaySession {
		t.Helper()
		page, err := srv.Admin.PlaySessions(ctx, f, api.ListParams{Limit: 100})
		if err != nil {
			t.Fatalf("sessions %+v: %v", f, err)
		}
		return page.Items
	}
	for _, tc := range []struct {
		name   string
		filter api.PlaySessionFilter
		want   int
	}{
		{"all", api.PlaySessionFilter{}, 3},
		{"channel", api.PlaySessionFilter{Channel: "ch2"}, 2},
		{"subscriber", api.PlaySessionFilter{SubscriberID: carol.ID}, 2},
		{"subscriber login", api.PlaySessionFilter{SubscriberLogin: "CAROL"}, 2},
		{"unknown login", api.PlaySessionFilter{SubscriberLogin: "nobody"}, 0},
		{"streamer", api.PlaySessionFilter{StreamerID: streamers["e1"]}, 1},
		{"channel and streamer", api.PlaySessionFilter{Channel: "ch1", StreamerID: streamers["e2"]}, 0},
	} {
		if got := list(tc.filter); len(got) != tc.want {
			t.Errorf("%s: got %d sessions %+v, want %d", tc.name, len(got), got, tc.want)
		}
	}
	s := list(api.PlaySessionFilter{StreamerID: streamers["e1"]})[0]
	if s.SubscriberID != carol.ID || s.Name != "ch1" || s.IP != "127.0.0.9" || s.UserAgent != "TestPlayer/1.0" ||
		s.Proto != "hls" || s.ChannelID == nil || s.OpenedAt.IsZero() || s.UpdatedAt.Before(s.OpenedAt) || s.ClosedAt != nil {
		t.Errorf("carol's session on e1 = %+v; want ch1 from 127.0.0.9, TestPlayer/1.0, hls, open", s)
	}
	if s.SubscriberLogin != "carol" || s.StreamerName != "e1" {
		t.Errorf("carol's session on e1 names subscriber %q and streamer %q, want carol and e1", s.SubscriberLogin, s.StreamerName)
	}

	if err := srv.Admin.KillPlaySession(ctx, s.ID); err != nil {
		t.Fatalf("kill: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(e1.Sessions()) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("e1 still carries the killed session after 10 s: Canale did not ask it to drop it")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := list(api.PlaySessionFilter{SubscriberID: carol.ID}); len(got) != 1 || got[0].Name != "ch2" {
		t.Errorf("carol's live sessions after the kill: %+v, want ch2 only", got)
	}
	history := list(api.PlaySessionFilter{SubscriberID: carol.ID, History: true})
	if len(history) != 2 {
		t.Fatalf("carol's history: %+v, want both sessions", history)
	}
	for _, h := range history {
		if h.ID == s.ID && (h.ClosedAt == nil || h.CloseReason != "killed") {
			t.Errorf("killed session in history: %+v, want closed, reason killed", h)
		}
	}
	if err := srv.Admin.KillPlaySession(ctx, s.ID+1000); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("kill of an unknown session: %v, want not_found", err)
	}
}

// sessionSim starts a simulated streamer with ch1 and ch2 on ip, asking
// authURL from the same address.
func sessionSim(t *testing.T, ip, authURL string) *simulator.Simulator {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	sim := simulator.New(simulator.Options{Addr: ip + ":0", AuthURL: authURL,
		HTTPClient: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}},
		Streams:    []simulator.Stream{{Name: "ch1", Alive: true}, {Name: "ch2", Alive: true}}})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

// sessionPlay opens name on sim as a player at ip would.
func sessionPlay(t *testing.T, sim *simulator.Simulator, ip, name, token string) {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
	req, err := http.NewRequest(http.MethodGet, sim.URL()+"/"+name+"/index.m3u8?token="+token, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "TestPlayer/1.0")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s plays %s on %s: status %d, want 200", token, name, sim.URL(), resp.StatusCode)
	}
}
