package portal_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/subscriberview"
	"canale/server/internal/testbrowser"
	"canale/server/internal/testedge"

	"github.com/chromedp/chromedp"
)

// browserWidths are the phone and laptop widths every page is tried at.
var browserWidths = []struct {
	name          string
	width, height int64
}{{"phone", 390, 844}, {"desktop", 1366, 768}}

// gridSignIn signs alice in and waits for her channel grid.
func gridSignIn(t *testing.T, ctx context.Context, e env) {
	t.Helper()
	browserSignIn(t, ctx, e.url)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/channels"), chromedp.WaitVisible(chromedp.CSS(`[data-channel="ch1"]`))); err != nil {
		t.Fatalf("channel grid: %v", err)
	}
}

// shot saves a screenshot when PORTAL_SHOTS names a directory, for a
// person to look at what the test saw.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if dir := os.Getenv("PORTAL_SHOTS"); dir != "" {
		testbrowser.Screenshot(ctx, t, filepath.Join(dir, name+".png"))
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitJS polls a JavaScript condition until it holds or ten seconds pass.
func waitJS(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !evalJS[bool](t, ctx, js) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: still false after 10 s: %s", what, js)
		}
		if err := chromedp.Do(ctx, chromedp.Sleep(100*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBrowserGridGuideAndFavourites walks the channel grid and the guide in
// Chromium at phone and desktop widths: nothing scrolls sideways, a logo
// that fails shows the initial badge, search and the star work, and the
// guide links catch-up only for past programmes within the DVR depth.
func TestBrowserGridGuideAndFavourites(t *testing.T) {
	now := guideClock()
	noon := now.Truncate(time.Hour)
	e := startWith(t, startOptions{guide: guideFixture(now), now: func() time.Time { return now }})
	ctx := testbrowser.New(t)
	gridSignIn(t, ctx, e)

	for i, w := range browserWidths {
		star := []string{"ch1", "ch2"}[i] // one more favourite per width
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w.width, w.height), chromedp.Navigate(e.url+"/channels"),
			chromedp.WaitVisible(chromedp.CSS(`[data-channel="ch1"]`))); err != nil {
			t.Fatalf("%s: channels: %v", w.name, err)
		}
		sidewaysScroll(t, ctx, w.name+" channels")
		// ch1's logo is not on this server: the badge must show instead.
		waitJS(t, ctx, w.name+" logo fallback", `!document.querySelector('#cat-1 ~ ul [data-channel="ch1"] .logo img') &&
			getComputedStyle(document.querySelector('#cat-1 ~ ul [data-channel="ch1"] .badge')).visibility === "visible"`)
		if now := evalJS[string](t, ctx, `document.querySelector('#cat-1 ~ ul [data-channel="ch1"] .now').textContent`); !strings.Contains(now, "12:00 Show 24 of one.example") {
			t.Errorf("%s: ch1 now %q, want the noon show", w.name, now)
		}
		if p := evalJS[float64](t, ctx, `document.querySelector('#cat-1 ~ ul [data-channel="ch1"] progress').value`); p != 33 {
			t.Errorf("%s: ch1 progress %v ten minutes into a half-hour programme, want 33", w.name, p)
		}

		// The star is a form: the page comes back with the channel first.
		err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`section:not(#favourites) [data-channel="`+star+`"] .star button`)),
			chromedp.WaitVisible(chromedp.CSS(`#favourites [data-channel="`+star+`"]`)))
		if err != nil {
			t.Fatalf("%s: star %s: %v", w.name, star, err)
		}
		favs := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#favourites li')].map(li => li.dataset.channel)`)
		if want := []string{"ch1", "ch2"}[:i+1]; !sameSet(favs, want) {
			t.Errorf("%s: favourites %v, want %v", w.name, favs, want)
		}
		shot(t, ctx, "channels-"+w.name)

		err = chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#q"), "two"), chromedp.Click(chromedp.CSS("#search")),
			chromedp.WaitVisible(chromedp.CSS("#no-match, [data-channel]")))
		if err != nil {
			t.Fatalf("%s: search: %v", w.name, err)
		}
		waitJS(t, ctx, w.name+" search results", `location.search === "?q=two"`)
		found := evalJS[[]string](t, ctx, `[...document.querySelectorAll('section:not(#favourites) li[data-channel]')].map(li => li.dataset.channel)`)
		if !slices.Equal(found, []string{"ch2"}) {
			t.Errorf("%s: search for two found %v, want [ch2]", w.name, found)
		}

		if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/guide"), chromedp.WaitVisible(chromedp.CSS(`[data-channel="ch1"] .prog`))); err != nil {
			t.Fatalf("%s: guide: %v", w.name, err)
		}
		sidewaysScroll(t, ctx, w.name+" guide")
		nowUnix := noon.Unix()
		catchups := evalJS[[]float64](t, ctx, `[...document.querySelectorAll('[data-channel="ch1"] a.prog[data-catchup]')].map(a => +a.dataset.start)`)
		if len(catchups) != 24 || slices.Max(catchups) >= float64(nowUnix) {
			t.Errorf("%s: ch1 catch-up links start at %v, want the 24 programmes before noon", w.name, catchups)
		}
		if n := evalJS[float64](t, ctx, `document.querySelectorAll('[data-channel="ch2"] a.prog[data-catchup]').length`); n != 0 {
			t.Errorf("%s: ch2 (no DVR) has %v catch-up links", w.name, n)
		}
		// The guide opens at the current time, not at midnight.
		if left := evalJS[float64](t, ctx, `document.getElementById("guide").scrollLeft`); left < 500 {
			t.Errorf("%s: guide scrolled to %v px, want it near noon", w.name, left)
		}
		// A block is as wide as its programme: half an hour is six slots.
		width := evalJS[float64](t, ctx, fmt.Sprintf(`document.querySelector('[data-channel="ch1"] [data-start="%d"]').getBoundingClientRect().width`, nowUnix))
		slot := evalJS[float64](t, ctx, `parseFloat(getComputedStyle(document.getElementById("guide")).getPropertyValue("--slot"))`)
		if math.Abs(width-(6*slot-2)) > 1 || slot < 10 {
			t.Errorf("%s: a half-hour block is %v px wide, want 6 slots of %v px less its 2 px margins", w.name, width, slot)
		}
		shot(t, ctx, "guide-"+w.name)
	}

	// The catch-up link plays the archive window.
	// (clicked by script: at the current time the sticky channel column
	// covers the block two hours back)
	evalJS[bool](t, ctx, fmt.Sprintf(`(document.querySelector('[data-channel="ch1"] a[data-start="%d"]').click(), true)`, noon.Add(-2*time.Hour).Unix()))
	err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#player")))
	if err != nil {
		t.Fatalf("open catch-up: %v", err)
	}
	src := evalJS[string](t, ctx, `document.getElementById("player").dataset.src`)
	if want := fmt.Sprintf("/ch1/archive-%d-1800.m3u8?token=tok-alice", noon.Add(-2*time.Hour).Unix()); !strings.HasSuffix(src, want) {
		t.Errorf("catch-up source %q, want …%s", src, want)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestBrowserPlayerErrorRetryAndRecent: while the edge answers 404 the
// player says so in plain words with a Retry button and the channel is not
// recorded as watched; once the stream is back, Retry plays it, and only
// then does it appear under "Recently watched". The player keeps 16:9 at
// both widths.
func TestBrowserPlayerErrorRetryAndRecent(t *testing.T) {
	var dir atomic.Pointer[subscriberview.CatalogDirectory]
	edge := testedge.Start(t, testedge.Options{AuthURL: edgeAuth(t, &dir)})
	edge.Publish(t, "ch1")
	target, _ := url.Parse("http://" + edge.HTTPAddr())
	var broken atomic.Bool
	broken.Store(true)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if broken.Load() { // a 404 as an edge sends it, readable cross-origin
			w.Header().Set("Access-Control-Allow-Origin", "*")
			http.NotFound(w, r)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	e := startWith(t, startOptions{streamBase: front.URL})
	dir.Store(e.dir)

	ctx := testbrowser.New(t)
	gridSignIn(t, ctx, e)
	for _, w := range browserWidths {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(w.width, w.height), chromedp.Navigate(e.url+"/player/1"),
			chromedp.WaitVisible(chromedp.CSS("#player-retry")))
		if err != nil {
			t.Fatalf("%s: the failed play shows no Retry: %v", w.name, err)
		}
		sidewaysScroll(t, ctx, w.name+" player")
		ratio := evalJS[float64](t, ctx, `(r => r.width / r.height)(document.getElementById("player").getBoundingClientRect())`)
		if math.Abs(ratio-16.0/9) > 0.02 {
			t.Errorf("%s: player is %.3f:1, want 16:9", w.name, ratio)
		}
		msg := evalJS[string](t, ctx, `document.getElementById("player-message").textContent`)
		status := evalJS[string](t, ctx, `document.getElementById("player-status").textContent`)
		if !strings.Contains(msg, "not broadcasting right now") || strings.Contains(msg+status, "manifestLoadError") ||
			strings.Contains(status, "Playing") {
			t.Errorf("%s: after a 404 the player says %q, status %q; want a plain message, not playing", w.name, msg, status)
		}
		shot(t, ctx, "player-error-"+w.name)
	}
	if ids, err := e.store.RecentChannels(t.Context(), 1); err != nil || len(ids) != 0 {
		t.Fatalf("a failed play was recorded as watched: %v, %v", ids, err)
	}

	broken.Store(false)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#player-retry"))); err != nil {
		t.Fatal(err)
	}
	waitPlaying(t, ctx)
	waitJS(t, ctx, "player state after Retry", `document.getElementById("player-box").dataset.state === "playing" &&
		document.getElementById("player-status").textContent === "Playing."`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ids, err := e.store.RecentChannels(t.Context(), 1)
		if err == nil && slices.Equal(ids, []int64{1}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("played ch1 not recorded as watched: %v, %v", ids, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/channels"), chromedp.WaitVisible(chromedp.CSS(`#recent-row [data-recent="ch1"]`)))
	if err != nil {
		t.Fatalf("recently watched row: %v", err)
	}
	shot(t, ctx, "channels-recent")
}
