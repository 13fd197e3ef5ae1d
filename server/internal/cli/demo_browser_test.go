package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testbrowser"

	"github.com/chromedp/chromedp"
)

// checkDemoPlays is the newcomer's first minute in Chromium: sign in to the
// demo's portal as the printed subscriber, open Canale News and watch the
// picture move; then a catch-up programme of three hours ago plays too,
// through hls.js from Canale's archive URL, redirected to a simulated edge
// on another origin (so CORS is part of what is tested).
func checkDemoPlays(t *testing.T, base, out string, news int64) {
	t.Helper()
	m := subscriberPasswordLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no subscriber password in %s", out)
	}
	ctx := testbrowser.New(t)
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "demo"), chromedp.SendKeys(chromedp.CSS("#password"), m[1]),
		chromedp.Click(chromedp.CSS("#sign-in")), chromedp.WaitNotPresent(chromedp.CSS("#sign-in")))
	if err != nil {
		t.Fatalf("sign in to the demo portal: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/player/%d", base, news)),
		chromedp.WaitVisible(chromedp.CSS("#player"))); err != nil {
		t.Fatalf("open Canale News: %v", err)
	}
	waitAdvances(t, ctx, `document.getElementById("player").currentTime`, `(window.playerErrors || []).join(" ")`)

	play := playbackLine.FindStringSubmatch(out)[1]
	token := play[strings.Index(play, "?"):]
	from := time.Now().Add(-3 * time.Hour).Unix()
	archive := fmt.Sprintf("%s/news/archive-%d-1800.m3u8%s", base, from, token)
	start := `(function(src) {
	  var v = document.createElement("video");
	  v.id = "catchup"; v.muted = true; document.body.appendChild(v);
	  window.catchupErrors = [];
	  var h = new Hls();
	  h.on(Hls.Events.ERROR, function (_, d) { window.catchupErrors.push(d.details + (d.fatal ? "!" : "")); });
	  h.on(Hls.Events.MANIFEST_PARSED, function () { v.play(); });
	  h.loadSource(src); h.attachMedia(v);
	  return true;
	})(` + jsString(archive) + `)`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](start)); err != nil {
		t.Fatalf("start the catch-up player: %v", err)
	}
	waitAdvances(t, ctx, `document.getElementById("catchup").currentTime`, `window.catchupErrors.join(" ")`)
}

// waitAdvances waits until the expression's currentTime passes two
// seconds: the video decodes and plays, not just loads.
func waitAdvances(t *testing.T, ctx context.Context, current, errs string) {
	t.Helper()
	deadline := time.Now().Add(40 * time.Second)
	for {
		cur, err := chromedp.Run(ctx, chromedp.Evaluate[float64](current))
		if err != nil {
			t.Fatalf("read %s: %v", current, err)
		}
		if cur > 2 {
			return
		}
		if time.Now().After(deadline) {
			e, _ := chromedp.Run(ctx, chromedp.Evaluate[string](errs))
			t.Fatalf("%s stayed at %v; player errors: %q", current, cur, e)
		}
		if err := chromedp.Do(ctx, chromedp.Sleep(250*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
}

// jsString quotes s for a JavaScript source.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b)
}
