package portal_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"canale/server/internal/subscriberview/viewtest"
	"canale/server/internal/testbrowser"

	"github.com/chromedp/chromedp"
)

// viewports are a phone and a laptop: the pages must not scroll sideways
// at either.
var viewports = []struct {
	name          string
	width, height int64
}{{"phone", 390, 844}, {"laptop", 1366, 768}}

// browserSignIn signs alice in through the form.
func browserSignIn(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), "alice"), chromedp.SendKeys(chromedp.CSS("#password"), viewtest.Password),
		chromedp.Click(chromedp.CSS("#sign-in")), chromedp.WaitVisible(chromedp.CSS(`header a[href="/account"]`)))
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
}

// noSidewaysScroll fails when the page at u is wider than the window.
func noSidewaysScroll(t *testing.T, ctx context.Context, u, what string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	sidewaysScroll(t, ctx, what)
}

// sidewaysScroll fails when the page shown is wider than the window: on a
// phone that is the sideways scrolling subscribers complained about.
func sidewaysScroll(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	widths, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.scrollingElement.scrollWidth, window.innerWidth]`))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if widths[0] > widths[1] {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main *")]
			.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 || e.getBoundingClientRect().left < -1)
			.slice(0, 5).map(e => e.tagName + (e.id ? "#" + e.id : "") + " " + e.className)`))
		t.Errorf("%s scrolls sideways: content %d px wide in a %d px window; too wide: %v", what, widths[0], widths[1], wide)
	}
}

// TestBrowserPagesFitPhoneAndLaptop opens the pages this package lays out
// at a phone's and a laptop's width, in English and in Arabic (right to
// left, where a physical margin or float would push content off screen).
func TestBrowserPagesFitPhoneAndLaptop(t *testing.T) {
	e := start(t, "")
	ctx := testbrowser.New(t)
	for _, vp := range viewports {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height)); err != nil {
			t.Fatal(err)
		}
		noSidewaysScroll(t, ctx, e.url+"/login?lang=en", vp.name+" sign-in page")
		browserSignIn(t, ctx, e.url)
		for _, lang := range []string{"en", "ar"} {
			for _, path := range []string{"/playlists", "/account", "/account/reset-token", "/no-such-page"} {
				noSidewaysScroll(t, ctx, e.url+path+"?lang="+lang, vp.name+" "+lang+" "+path)
			}
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/account?lang=en"), chromedp.WaitVisible(chromedp.CSS("#sign-out-everywhere")),
			chromedp.Click(chromedp.CSS("#sign-out-everywhere")), chromedp.WaitVisible(chromedp.CSS("#login"))); err != nil {
			t.Fatalf("sign out: %v", err)
		}
	}
}

// TestBrowserLanguageSwitcher: the browser's language is the default, the
// switcher changes it for every later page, and Arabic turns the page
// right to left.
func TestBrowserLanguageSwitcher(t *testing.T) {
	e := start(t, "")
	ctx := testbrowser.New(t)
	attrs := func() (lang, dir, h1 string) {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`[document.documentElement.lang, document.documentElement.dir, document.querySelector("main h1").textContent]`))
		if err != nil {
			t.Fatal(err)
		}
		return v[0], v[1], v[2]
	}
	browserSignIn(t, ctx, e.url)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/account"), chromedp.WaitVisible(chromedp.CSS("#langs"))); err != nil {
		t.Fatal(err)
	}
	if lang, dir, h1 := attrs(); lang != "en" || dir != "ltr" || h1 != "Account" {
		t.Errorf("headless Chromium (en-US): lang %q dir %q heading %q, want en ltr Account", lang, dir, h1)
	}
	for _, tc := range []struct{ code, dir, heading string }{
		{"ar", "rtl", "الحساب"}, {"ru", "ltr", "Аккаунт"}, {"es", "ltr", "Cuenta"}, {"en", "ltr", "Account"},
	} {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#langs [data-lang="`+tc.code+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`html[lang="`+tc.code+`"] main h1`))); err != nil {
			t.Fatalf("switch to %s: %v", tc.code, err)
		}
		// The pick sticks: the next page, reached by a plain link, keeps it.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href="/playlists"]`)), chromedp.WaitVisible(chromedp.CSS("#m3u")),
			chromedp.Navigate(e.url+"/account"), chromedp.WaitVisible(chromedp.CSS("#langs"))); err != nil {
			t.Fatal(err)
		}
		if lang, dir, h1 := attrs(); lang != tc.code || dir != tc.dir || h1 != tc.heading {
			t.Errorf("after picking %s: lang %q dir %q heading %q, want %s %s %q", tc.code, lang, dir, h1, tc.code, tc.dir, tc.heading)
		}
	}
	// In Arabic the header's tools sit at the left edge: the layout mirrors.
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/account?lang=ar"), chromedp.WaitVisible(chromedp.CSS("#langs"))); err != nil {
		t.Fatal(err)
	}
	mirrored, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`document.querySelector("header .brand").getBoundingClientRect().left > document.querySelector("header .tools").getBoundingClientRect().left`))
	if err != nil || !mirrored {
		t.Errorf("Arabic header is not mirrored (brand right of the tools): %v, %v", mirrored, err)
	}
}

// TestBrowserPlaylistsAndAccount: copy buttons copy, the QR code says what
// it opens, times show in the browser's zone, and user agents read as
// names.
func TestBrowserPlaylistsAndAccount(t *testing.T) {
	e := start(t, "")
	ctx := testbrowser.New(t)
	browserSignIn(t, ctx, e.url)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/playlists"), chromedp.WaitVisible(chromedp.CSS(`button[data-copy="m3u-kodi"]`)),
		chromedp.Click(chromedp.CSS(`button[data-copy="m3u-kodi"]`))); err != nil {
		t.Fatalf("copy button: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("copy-status").textContent === "Copied"`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#copy-status")))
		t.Errorf("after copying: status %q, want Copied (%v)", status, err)
	}
	caption, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#qr-caption")))
	if err != nil || !strings.Contains(caption, "Kodi") {
		t.Errorf("QR caption %q, %v: want it to say it opens the Kodi playlist", caption, err)
	}
	wrap, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.getElementById("m3u-kodi")).overflowWrap`))
	if err != nil || wrap != "anywhere" {
		t.Errorf("playlist links wrap with %q, %v; want anywhere", wrap, err)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/account"), chromedp.WaitVisible(chromedp.CSS("#browser-sessions"))); err != nil {
		t.Fatal(err)
	}
	row, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const tr = document.querySelector("#browser-sessions tbody tr");
		const time = tr.querySelector("time");
		return [tr.cells[2].textContent, time.textContent, time.title];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if row[0] != "Chrome on Linux" {
		t.Errorf("this browser is listed as %q, want Chrome on Linux", row[0])
	}
	if strings.Contains(row[1], "UTC") || !strings.Contains(row[2], "UTC") {
		t.Errorf("sign-in time %q (UTC %q): want it in the browser's local form", row[1], row[2])
	}
}
