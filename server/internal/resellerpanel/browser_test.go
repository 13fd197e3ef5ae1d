package resellerpanel_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"canale/server/internal/store/storetest"
	"canale/server/internal/testbrowser"
	"canale/server/internal/testserver"
	"canale/shared/api"

	"github.com/chromedp/chromedp"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const (
	dealerLogin    = "dealer"
	dealerPassword = "dealer-password-1"
)

// panelServer is a running Canale with a reseller who sells one 30-day
// package for 2 credits, holds 10, may make one trial a day on a trial
// package, and hands out links on its own DNS.
func panelServer(t *testing.T) (*testserver.Server, api.Reseller) {
	t.Helper()
	ctx := context.Background()
	srv := testserver.Start(t)
	var pkg, trial int64
	storetest.QueryRow(t, srv.DSN(), `INSERT INTO packages (name, period_days) VALUES ('Family', 30) RETURNING id`, nil, &pkg)
	storetest.QueryRow(t, srv.DSN(), `INSERT INTO packages (name, period_days) VALUES ('Taster', 1) RETURNING id`, nil, &trial)
	r, err := srv.Admin.CreateReseller(ctx, api.Reseller{Login: dealerLogin, Password: dealerPassword, CreditsMinor: 1000,
		Packages: []api.ResellerPackage{{PackageID: pkg, PriceCreditsMinor: 200}}})
	if err != nil {
		t.Fatal(err)
	}
	rules := api.DefaultResellerRules(r.ID)
	rules.TrialsPerDay, rules.TrialsPerMonth, rules.TrialPackageID, rules.TrialHours = 1, 10, &trial, 12
	rules.DNS = "tv.dealer.example"
	if _, err := srv.Admin.SetResellerRules(ctx, rules); err != nil {
		t.Fatal(err)
	}
	return srv, r
}

// TestBrowserResellerSellsALine is a reseller's day on a phone-sized
// Chromium: a wrong password is refused, sign-in shows the credits, a line
// sold costs its price and is handed over with links on the reseller's DNS
// and a QR code, an extension costs again, and trials stop at the quota.
func TestBrowserResellerSellsALine(t *testing.T) {
	srv, _ := panelServer(t)
	ctx := testbrowser.New(t)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	signIn := func(password string) {
		t.Helper()
		err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/reseller/login"),
			chromedp.WaitVisible(chromedp.CSS("#login")),
			chromedp.SendKeys(chromedp.CSS("#login"), dealerLogin), chromedp.SendKeys(chromedp.CSS("#password"), password),
			chromedp.Click(chromedp.CSS("#sign-in")))
		if err != nil {
			t.Fatalf("sign in: %v", err)
		}
	}
	signIn("not-the-password")
	if got := text("#error"); got != "Wrong login or password." {
		t.Fatalf("after a wrong password: %q", got)
	}
	signIn(dealerPassword)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#dash-credits"))); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	if got := text("#credits"); got != "10.00" {
		t.Errorf("credits after sign-in: %q, want 10.00", got)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > 390 {
		t.Errorf("dashboard width on a phone: %d (%v), want no horizontal scroll past 390", width, err)
	}

	err = chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/reseller/lines"), chromedp.WaitVisible(chromedp.CSS("#new-login")),
		chromedp.SetValue(chromedp.CSS("#new-login"), "alice-line"), chromedp.Click(chromedp.CSS("#create")),
		chromedp.WaitVisible(chromedp.CSS("#handover")))
	if err != nil {
		t.Fatalf("create a line: %v", err)
	}
	if got := text("#ho-login"); got != "alice-line" {
		t.Errorf("hand-over login: %q", got)
	}
	if got := text("#ho-password"); len(got) < 10 {
		t.Errorf("hand-over password: %q, want the generated one", got)
	}
	if got := text("#credits"); got != "8.00" {
		t.Errorf("credits after selling a line at 2: %q, want 8.00", got)
	}
	playlist, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#ho-playlist")))
	if err != nil || !regexp.MustCompile(`^http://tv\.dealer\.example/playlist/[0-9a-f]{32}\.m3u8$`).MatchString(playlist) {
		t.Errorf("hand-over playlist: %q (%v), want it on the reseller's DNS", playlist, err)
	}
	if got := text("#ho-server"); got != "http://tv.dealer.example" {
		t.Errorf("hand-over Xtream server: %q", got)
	}
	qrWidth, err := chromedp.Run(ctx, chromedp.Poll[int](`document.querySelector('#ho-qr').complete && document.querySelector('#ho-qr').naturalWidth`))
	if err != nil || qrWidth < 100 {
		t.Errorf("hand-over QR code: %d pixels wide (%v), want an image", qrWidth, err)
	}

	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href^="/reseller/lines/"]`)), chromedp.WaitVisible(chromedp.CSS("#extend")),
		chromedp.Click(chromedp.CSS("#extend")), chromedp.WaitVisible(chromedp.CSS("#notice")))
	if err != nil {
		t.Fatalf("extend: %v", err)
	}
	if got := text("#credits"); got != "6.00" {
		t.Errorf("credits after extending at 2: %q, want 6.00", got)
	}

	trial := func() {
		t.Helper()
		err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/reseller/lines"), chromedp.WaitVisible(chromedp.CSS("#trial")),
			chromedp.Click(chromedp.CSS("#trial")), chromedp.WaitReady(chromedp.CSS("main")))
		if err != nil {
			t.Fatalf("trial: %v", err)
		}
	}
	trial()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#handover"))); err != nil {
		t.Fatalf("first trial hand-over: %v", err)
	}
	if got := text("#credits"); got != "6.00" {
		t.Errorf("credits after a trial: %q, want 6.00 (trials are free)", got)
	}
	trial()
	if got := text("#error"); !strings.Contains(got, "trials per day") {
		t.Errorf("second trial with a quota of one a day: %q, want the quota named", got)
	}
}

// TestPanelRefusesForgedForms posts the panel's forms without the right
// CSRF token, signed in and not: each is refused and nothing is sold.
func TestPanelRefusesForgedForms(t *testing.T) {
	t.Parallel()
	srv, r := panelServer(t)
	jar, _ := cookiejar.New(nil)
	stranger := &panelUser{t: t, base: srv.URL, c: &http.Client{Jar: jar}}
	stranger.get("/reseller/login")
	form := url.Values{"csrf": {"forged"}, "login": {dealerLogin}, "password": {dealerPassword}}
	if got, _ := stranger.post("/reseller/login", form); got != http.StatusForbidden {
		t.Errorf("sign-in with a forged token: %d, want 403", got)
	}
	u := signInPanel(t, srv, dealerLogin, dealerPassword)
	for _, token := range []string{"", "forged"} {
		line := url.Values{"csrf": {token}, "login": {"forged-line"}, "password": {"forged-password"}, "package_id": {"1"}}
		if got, _ := u.post("/reseller/lines", line); got != http.StatusForbidden {
			t.Errorf("create with csrf %q: %d, want 403", token, got)
		}
		if got, _ := u.post("/reseller/trials", url.Values{"csrf": {token}}); got != http.StatusForbidden {
			t.Errorf("trial with csrf %q: %d, want 403", token, got)
		}
	}
	after, err := srv.Admin.Reseller(context.Background(), r.ID)
	if err != nil || after.CreditsMinor != 1000 {
		t.Errorf("credits after forged forms: %v (%v), want 1000", after.CreditsMinor, err)
	}
	page, err := srv.Admin.Subscribers(context.Background(), api.SubscriberFilter{ResellerID: r.ID}, api.ListParams{})
	if err != nil || len(page.Items) != 0 {
		t.Errorf("lines after forged forms: %+v (%v), want none", page.Items, err)
	}
}
