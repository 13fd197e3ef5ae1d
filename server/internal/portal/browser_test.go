package portal_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/subscriberview"
	"canale/server/internal/subscriberview/viewtest"
	"canale/server/internal/testbrowser"
	"canale/server/internal/testedge"

	"github.com/chromedp/chromedp"
)

// edgeAuth is the edge's auth_request backend for the test: it allows a
// request whose ?token= is some active subscriber's CURRENT token, asked
// through the same directory the portal uses, as the play authorization
// will once it is wired.
func edgeAuth(t *testing.T, dirp *atomic.Pointer[subscriberview.CatalogDirectory]) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := url.Parse(r.Header.Get("X-Original-URI"))
		if err != nil {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		dir := dirp.Load()
		if dir == nil {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		sub, err := dir.SubscriberByToken(r.Context(), u.Query().Get("token"))
		if err != nil || sub.Access(time.Now()) != subscriberview.AccessActive {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestBrowserSignInPlayAndReset is the subscriber's whole journey in
// Chromium: a wrong password is refused, sign-in shows the channels, the
// player plays the real nginx edge through hls.js, and a token reset makes
// the old playlist and stream URLs fail.
func TestBrowserSignInPlayAndReset(t *testing.T) {
	// The portal needs the edge's address for its stream URLs, and the
	// edge's auth needs the portal's directory: bind the directory late.
	var dir atomic.Pointer[subscriberview.CatalogDirectory]
	edge := testedge.Start(t, testedge.Options{AuthURL: edgeAuth(t, &dir)})
	edge.Publish(t, "ch1")
	e := start(t, "http://"+edge.HTTPAddr())
	dir.Store(e.dir)

	ctx := testbrowser.New(t)
	fill := func(password string) {
		t.Helper()
		err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/login"), chromedp.WaitVisible(chromedp.CSS("#login")),
			chromedp.SendKeys(chromedp.CSS("#login"), "alice"), chromedp.SendKeys(chromedp.CSS("#password"), password),
			chromedp.Click(chromedp.CSS("#sign-in")))
		if err != nil {
			t.Fatalf("sign in: %v", err)
		}
	}
	fill("not-the-password")
	// The answer is a new page: read the message by script until it is
	// there, as a node id taken from the page being replaced goes stale
	// ("No node with given id found").
	var msg string
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		msg, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#login-error") || {}).textContent || ""`))
		if err == nil && msg != "" {
			break
		}
	}
	if err != nil || msg != "Wrong login or password." {
		t.Fatalf("after a wrong password: error %q, %v; want %q", msg, err, "Wrong login or password.")
	}

	fill(viewtest.Password)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`[data-channel="ch1"]`))); err != nil {
		t.Fatalf("channels page: %v", err)
	}
	list, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"News", "Channel One", "Sport", "Channel Two", "Free Four"} {
		if !strings.Contains(list, want) {
			t.Errorf("channels page lacks %q:\n%s", want, list)
		}
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-channel="ch1"] a`))); err != nil {
		t.Fatalf("open player: %v", err)
	}
	waitPlaying(t, ctx)

	// Reset the token from the account page.
	err = chromedp.Do(ctx, chromedp.Navigate(e.url+"/account"), chromedp.WaitVisible(chromedp.CSS("#reset-token")),
		chromedp.Click(chromedp.CSS("#reset-token")), chromedp.WaitVisible(chromedp.CSS("#confirm-yes")),
		chromedp.Click(chromedp.CSS("#confirm-yes")), chromedp.WaitVisible(chromedp.CSS("#flash")))
	if err != nil {
		t.Fatalf("reset token: %v", err)
	}
	if res := httpGet(t, e.url+"/playlist/tok-alice.m3u8"); res.StatusCode != http.StatusNotFound {
		t.Errorf("old playlist URL after reset: status %d, want 404", res.StatusCode)
	}
	if res := httpGet(t, edge.QueryHLSURL("ch1", "tok-alice")); res.StatusCode != http.StatusForbidden {
		t.Errorf("old stream URL after reset: status %d, want 403", res.StatusCode)
	}
	sub, err := e.dir.SubscriberByLogin(t.Context(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	if res := httpGet(t, e.url+"/playlist/"+sub.Token+".m3u8"); res.StatusCode != http.StatusOK {
		t.Errorf("new playlist URL: status %d, want 200", res.StatusCode)
	}
	// The player page now carries the new token and plays again.
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/player/1")); err != nil {
		t.Fatal(err)
	}
	waitPlaying(t, ctx)
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

func httpGet(t *testing.T, u string) *http.Response {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}
