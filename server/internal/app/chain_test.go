package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/playauth"
	"canale/server/internal/store"
	"canale/server/internal/testbrowser"
	"canale/server/internal/testedge"
	"canale/server/internal/testserver"
	"canale/shared/api"

	"github.com/chromedp/chromedp"
)

const chainPassword = "chain-viewer-password"

// TestChainPortalBalancerEdgePlayAuth plays a channel in the portal's web
// player through the whole real chain: the page asks the balancer
// (/ch1/index.m3u8?token=) on Canale, which redirects to the streamer that
// the fleet poller sees up with ch1 alive; that streamer's public URL is a
// real nginx+ffmpeg edge whose auth_request asks Canale's /nginx/{secret}/auth.
// The account page then lists the play session; a token reset in the portal
// makes the old playlist and stream URLs fail while the page plays again
// with the new token.
func TestChainPortalBalancerEdgePlayAuth(t *testing.T) {
	start := time.Now()
	srv := testserver.Start(t)
	ctx := t.Context()
	settings, err := srv.Store.FindSettings(ctx, api.SystemActor("test")) // generates the streamer secret
	if err != nil {
		t.Fatal(err)
	}
	edge := testedge.Start(t, testedge.Options{Streams: []string{"ch1"},
		AuthURL: srv.URL + playauth.NginxAuthPath(settings.StreamerSecret)})
	edge.Publish(t, "ch1")
	sim := simulator.New(simulator.Options{Hostname: "e1.test",
		Streams: []simulator.Stream{{Name: "ch1", Alive: true, InputKbps: 3000, OutputKbps: 3000}}})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	seedChain(t, srv, sim.URL(), "http://"+edge.HTTPAddr())

	ch, ok := srv.App.Catalog().Channel("ch1")
	if !ok {
		t.Fatal("ch1 is not in the read model after the seed")
	}
	if res := noRedirectGet(t, srv.URL+"/ch1/index.m3u8?token=tok-alice"); res.StatusCode != http.StatusFound ||
		!strings.HasPrefix(res.Header.Get("Location"), "http://"+edge.HTTPAddr()+"/ch1/index.m3u8?token=tok-alice") {
		t.Fatalf("balancer: status %d to %q, want 302 to the edge", res.StatusCode, res.Header.Get("Location"))
	}

	b := testbrowser.New(t)
	err = chromedp.Do(b, chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "alice"), chromedp.SendKeys(chromedp.CSS("#password"), chainPassword),
		chromedp.Click(chromedp.CSS("#sign-in")), chromedp.WaitVisible(chromedp.CSS(`[data-channel="ch1"]`)),
		chromedp.Navigate(srv.URL+"/player/"+strconv.FormatInt(ch.ID, 10)))
	if err != nil {
		t.Fatalf("sign in and open the player: %v", err)
	}
	waitPlaying(t, b)
	waitWatching(t, b, srv.URL)

	err = chromedp.Do(b, chromedp.Navigate(srv.URL+"/account"), chromedp.WaitVisible(chromedp.CSS("#reset-token")),
		chromedp.Click(chromedp.CSS("#reset-token")), chromedp.WaitVisible(chromedp.CSS("#confirm-yes")),
		chromedp.Click(chromedp.CSS("#confirm-yes")), chromedp.WaitVisible(chromedp.CSS("#flash")))
	if err != nil {
		t.Fatalf("reset token: %v", err)
	}
	for _, u := range []string{srv.URL + "/playlist/tok-alice.m3u8", srv.URL + "/ch1/index.m3u8?token=tok-alice",
		edge.QueryHLSURL("ch1", "tok-alice")} {
		if res := plainGet(t, u); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("old URL %s after reset: status %d, want 403 or 404", u, res.StatusCode)
		}
	}
	sub, ok := srv.App.Catalog().SubscriberByLogin("alice")
	if !ok || sub.Token == "tok-alice" {
		t.Fatalf("alice after reset: %+v, %v; want a new token", sub, ok)
	}
	if res := plainGet(t, srv.URL+"/playlist/"+sub.Token+".m3u8"); res.StatusCode != http.StatusOK {
		t.Errorf("new playlist URL: status %d, want 200", res.StatusCode)
	}
	if err := chromedp.Do(b, chromedp.Navigate(srv.URL+"/player/"+strconv.FormatInt(ch.ID, 10))); err != nil {
		t.Fatal(err)
	}
	waitPlaying(t, b)
	t.Logf("whole chain, both plays: %v", time.Since(start).Round(100*time.Millisecond))
}

// seedChain registers the streamer (API on the simulator, public URL on the
// nginx edge) as the edge of ch1's pipeline, puts ch1 in a package alice
// holds, points settings.external_url at the test server, and makes the
// read model and the fleet see it all, polled once.
func seedChain(t *testing.T, srv *testserver.Server, apiURL, publicURL string) {
	t.Helper()
	hash, err := credential.HashPassword(chainPassword)
	if err != nil {
		t.Fatal(err)
	}
	seed := store.Seed{ExternalURL: srv.URL,
		Streamers: []store.SeedStreamer{{Name: "e1", APIURL: apiURL, PublicURL: publicURL}},
		Pipelines: []store.SeedPipeline{{Name: "p", Steps: []store.SeedStep{{Role: "edge", Placement: "all", Streamers: []string{"e1"}}}}},
		Channels: []store.SeedChannel{{Name: "ch1", Title: "Channel One", Pipeline: "p", Number: 1,
			Sources: []store.FleetSource{{URL: "udp://239.0.0.1:1234"}}}},
		Packages:    []store.SeedPackage{{Name: "Basic", Channels: []string{"ch1"}}},
		Subscribers: []store.SeedSubscriber{{Login: "alice", PasswordHash: hash, Token: "tok-alice", Packages: []string{"Basic"}}},
	}
	applySeed(t, srv, seed)
	if got := srv.App.AuthURL(); !strings.HasPrefix(got, srv.URL+"/flussonic/") {
		t.Fatalf("auth URL = %q, want it on the test server", got)
	}
}

// applySeed writes seed and makes the read model and the fleet see it,
// the streamers polled once.
func applySeed(t *testing.T, srv *testserver.Server, seed store.Seed) {
	t.Helper()
	ctx := t.Context()
	if err := srv.Store.Seed(ctx, seed); err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Catalog().Load(ctx); err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Fleet().Reload(ctx); err != nil {
		t.Fatal(err)
	}
	srv.App.Fleet().PollNow(ctx)
}

// waitPlaying waits until the video's currentTime has advanced past one
// second, failing with hls.js's errors if it does not within the bound.
func waitPlaying(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#player"))); err != nil {
		t.Fatalf("player page: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		cur, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.getElementById("player").currentTime`))
		if err != nil {
			t.Fatalf("read currentTime: %v", err)
		}
		if cur > 1 {
			return
		}
		if time.Now().After(deadline) {
			errs, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.playerErrors || []`))
			status, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#player-status")))
			t.Fatalf("video did not play: currentTime %v, errors %v, status %q", cur, errs, status)
		}
		if err := chromedp.Do(ctx, chromedp.Sleep(250*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
}

// waitWatching reloads the account page until its "Watching now" table
// lists ch1: play sessions are recorded in batches, so it may take a moment.
func waitWatching(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := chromedp.Do(ctx, chromedp.Navigate(base+"/account"), chromedp.WaitVisible(chromedp.CSS("#plays")))
		if err != nil {
			t.Fatalf("account page: %v", err)
		}
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, "ch1") && strings.Contains(text, "hls") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("account page never listed the play session of ch1:\n%s", text)
		}
		if err := chromedp.Do(ctx, chromedp.Sleep(500*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
}

func plainGet(t *testing.T, u string) *http.Response {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func noRedirectGet(t *testing.T, u string) *http.Response {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}
