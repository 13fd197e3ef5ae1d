package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testbrowser"
	"canale/server/internal/testserver"
	"canale/shared/api"

	"github.com/chromedp/chromedp"
)

// TestBrowserBrandingColours: the operator's colours reach the page in
// Chromium, past the Content-Security-Policy that allows no inline style.
func TestBrowserBrandingColours(t *testing.T) {
	srv := testserver.Start(t)
	b := api.Branding{Name: "Acme TV", PrimaryColor: "#3a0ca3", AccentColor: "#0b6e4f"}
	cur, err := srv.Admin.Settings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Admin.UpdateSettings(t.Context(), api.SettingsUpdate{Branding: &b, Version: cur.Version}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		res, err := http.Get(srv.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(body), "/brand.css") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the portal did not pick up the branding")
		}
	}
	ctx := testbrowser.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#sign-in"))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[getComputedStyle(document.querySelector("header")).backgroundColor,
		getComputedStyle(document.getElementById("sign-in")).backgroundColor, document.getElementById("brand-name").textContent]`))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"rgb(58, 12, 163)", "rgb(11, 110, 79)", "Acme TV"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("header, button, name: %q, want %q", got, want)
	}
}
