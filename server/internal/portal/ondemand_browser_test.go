package portal_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"canale/server/internal/subscriberview/viewtest"
	"canale/server/internal/testbrowser"

	"github.com/chromedp/chromedp"
)

// requestLog is a stream base that records the URIs players ask it for and
// answers 404: the test edge serves no VOD files, so what the player
// fetched is the evidence, not playback.
type requestLog struct {
	mu   sync.Mutex
	uris []string
}

func (l *requestLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	l.uris = append(l.uris, r.URL.RequestURI())
	l.mu.Unlock()
	w.Header().Set("Access-Control-Allow-Origin", "*")
	http.NotFound(w, r)
}

// wait waits until the player asked for uri, failing with what it did ask.
func (l *requestLog) wait(t *testing.T, ctx context.Context, uri string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		l.mu.Lock()
		got := slices.Clone(l.uris)
		l.mu.Unlock()
		if slices.Contains(got, uri) {
			return
		}
		if time.Now().After(deadline) {
			src, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("player")?.dataset.src || ""`))
			t.Fatalf("player did not request %s; stream base saw %q; page source %q", uri, got, src)
		}
		if err := chromedp.Do(ctx, chromedp.Sleep(100*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBrowserPlayMovieAndEpisode walks from the navigation to a movie and
// to an episode in Chromium, presses Play, and sees hls.js fetch that
// title's HLS URL with alice's token from the stream base.
func TestBrowserPlayMovieAndEpisode(t *testing.T) {
	rec := &requestLog{}
	streams := httptest.NewServer(rec)
	t.Cleanup(streams.Close)
	e := start(t, streams.URL, onDemandSQL...)

	ctx := testbrowser.New(t)
	err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/login"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "alice"), chromedp.SendKeys(chromedp.CSS("#password"), viewtest.Password),
		chromedp.Click(chromedp.CSS("#sign-in")), chromedp.WaitVisible(chromedp.CSS(`[data-channel="ch1"]`)))
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}

	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`nav a[href="/movies"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#movies [data-id="1"] a`)), chromedp.Click(chromedp.CSS(`#movies [data-id="1"] a`)),
		chromedp.WaitVisible(chromedp.CSS("#play")), chromedp.Click(chromedp.CSS("#play")),
		chromedp.WaitVisible(chromedp.CSS("#player")))
	if err != nil {
		t.Fatalf("open the movie's player: %v", err)
	}
	rec.wait(t, ctx, "/film1/index.m3u8?token=tok-alice")

	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`nav a[href="/shows"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#series [data-id="1"] a`)), chromedp.Click(chromedp.CSS(`#series [data-id="1"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-episode="203"] a`)), chromedp.Click(chromedp.CSS(`[data-episode="203"] a`)),
		chromedp.WaitVisible(chromedp.CSS("#player")))
	if err != nil {
		t.Fatalf("open the episode's player: %v", err)
	}
	rec.wait(t, ctx, "/show1-s2e1/index.m3u8?token=tok-alice")

	// The stream base never saw a title outside alice's packages.
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, u := range rec.uris {
		if u != "/film1/index.m3u8?token=tok-alice" && u != "/show1-s2e1/index.m3u8?token=tok-alice" {
			t.Errorf("player requested %s", u)
		}
	}
}
