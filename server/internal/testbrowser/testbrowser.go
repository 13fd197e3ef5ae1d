// Package testbrowser starts headless Chromium for end-to-end tests of the
// customer portal and its hls.js player, driven through chromedp.
//
// It pins chromedp v0.23 and its generic API: chromedp.Do for actions
// without a result, chromedp.Run for one with a result, for example
//
//	ctx := testbrowser.New(t)
//	err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.Click(chromedp.CSS("#play")))
//	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status")))
package testbrowser

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package puts the browser.
const ChromiumPath = "/usr/bin/chromium"

const installHint = "apt-get install -y --no-install-recommends chromium"

// Timeout bounds each browser context from New, so a page that never
// becomes ready fails the test instead of hanging it.
const Timeout = 60 * time.Second

// New starts a headless Chromium with a fresh profile and returns a context
// whose tab the chromedp actions drive. The browser is stopped when the test
// ends. When Chromium is missing the test fails under CI=true and is skipped
// elsewhere.
func New(tb testing.TB) context.Context {
	tb.Helper()
	path := requireChromium(tb)
	allocCtx, cancelAlloc := NewAllocator(context.Background(), path, tb.TempDir())
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithLogf(tb.Logf))
	ctx, cancelTimeout := context.WithTimeout(ctx, Timeout)
	tb.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc() // waits for the browser to exit and removes its profile
	})
	// Start the browser now, so that a broken installation fails here with
	// a clear message rather than at the first action.
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start chromium %s: %v", path, err)
	}
	return ctx
}

// NewAllocator starts headless Chromium at path with the profile directory
// profile, set up as the tests' is, for tools that drive the portal outside
// a test (make portal-shot).
func NewAllocator(ctx context.Context, path, profile string) (context.Context, context.CancelFunc) {
	return chromedp.NewExecAllocator(ctx, allocatorOptions(path, profile)...)
}

// allocatorOptions keeps Chromium off the network (this machine's network
// is closed and every background request would be refused) and lets media
// play without a user gesture, which the player tests need.
func allocatorOptions(path, profile string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox, // needed as root; harmless otherwise in a test
		chromedp.DisableGPU,
		chromedp.Flag("headless", "new"),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("dns-prefetch-disable", true),
		chromedp.WindowSize(800, 600),
	)
}

func requireChromium(tb testing.TB) string {
	tb.Helper()
	if _, err := os.Stat(ChromiumPath); err == nil {
		return ChromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	msg := "chromium not found at " + ChromiumPath + "; install with: " + installHint
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return ""
}

// Screenshot saves a PNG of the whole page to path, for a human to look at
// when a test fails or to check by eye what a test saw. Missing parent
// directories are created.
func Screenshot(ctx context.Context, tb testing.TB, path string) {
	tb.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.Fatalf("screenshot: %v", err)
	}
	tb.Logf("screenshot saved to %s", path)
}
