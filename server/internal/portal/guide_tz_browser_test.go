package portal_test

import (
	"strings"
	"testing"
	"time"

	"canale/server/internal/testbrowser"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserGuideLocalTimes opens the TV guide in a browser in India
// (UTC+5:30, a zone no whole-hour mistake matches): the programme times,
// their tooltips, the hour columns and the now marker read in local time,
// and the hint names the zone and says a page is one UTC day. Channel
// names show whole at phone and desktop widths.
func TestBrowserGuideLocalTimes(t *testing.T) {
	now := guideClock() // 12:10 UTC
	e := startWith(t, startOptions{guide: guideFixture(now), now: func() time.Time { return now },
		sql: []string{`UPDATE channels SET title = 'Canale Movies' WHERE id = 2`}})
	ctx := testbrowser.New(t)
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Kolkata"}); err != nil {
		t.Fatal(err)
	}
	gridSignIn(t, ctx, e)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/guide"), chromedp.WaitVisible(chromedp.CSS("#guide"))); err != nil {
		t.Fatal(err)
	}
	ist := time.FixedZone("IST", 5*3600+1800)
	day := now.Truncate(24 * time.Hour)
	first := `document.querySelector('[data-channel="ch1"] .prog')`
	for _, c := range []struct{ what, js, want string }{
		{"first programme time", first + `.querySelector(".t").textContent`, day.In(ist).Format("15:04")},
		{"first programme tooltip", first + `.title.split(" ")[0]`,
			day.In(ist).Format("15:04") + "–" + day.Add(30*time.Minute).In(ist).Format("15:04")},
		{"first hour column", `document.querySelector(".g-head .hour").textContent`, day.In(ist).Format("15:04")},
		{"now marker", `document.getElementById("now-label").textContent`, now.In(ist).Format("15:04")},
	} {
		if got := evalJS[string](t, ctx, c.js); got != c.want {
			t.Errorf("%s: %q, want %q (local time in Asia/Kolkata)", c.what, got, c.want)
		}
	}
	hint := evalJS[string](t, ctx, `document.getElementById("guide-hint").textContent`)
	// ICU may name the zone by its older alias.
	if !(strings.Contains(hint, "Asia/Kolkata") || strings.Contains(hint, "Asia/Calcutta")) || !strings.Contains(hint, "midnight UTC") {
		t.Errorf("guide hint %q: want the local zone named and the UTC day explained", hint)
	}
	shot(t, ctx, "guide-local-time")

	// The demo's channels all begin "Canale": cut to one line on a phone,
	// every row read "Canale …". Each name shows whole at every width.
	for _, w := range browserWidths {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(w.width, w.height), chromedp.Navigate(e.url+"/guide"),
			chromedp.WaitVisible(chromedp.CSS("#guide")))
		if err != nil {
			t.Fatal(err)
		}
		cut := evalJS[[]string](t, ctx, `Array.from(document.querySelectorAll(".g-chan .name"))
			.filter(n => n.scrollHeight > n.clientHeight + 1 || n.scrollWidth > n.clientWidth + 1).map(n => n.textContent)`)
		if len(cut) > 0 {
			t.Errorf("%s: guide channel names cut off: %q", w.name, cut)
		}
	}
}
