package resellerpanel_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestPanelAmountsAreExact types the amounts a float would round into the
// sub-reseller forms: each is refused naming its field, nothing moves, and
// transfers of 0.10 and 0.20 move exactly 0.30.
func TestPanelAmountsAreExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, dealer := panelServer(t) // 10.00 credits, the package at 2.00
	allowSubResellers(t, srv, dealer.ID)
	u := signInPanel(t, srv, dealerLogin, dealerPassword)
	price := "price_" + strconv.FormatInt(dealer.Packages[0].PackageID, 10)
	tests := []struct {
		name, credits, price, field string
	}{
		{"HalfCentCredits", "0.005", "", "credits"},
		{"TinyCredits", "1e-9", "", "credits"},
		{"ThirdDecimal", "12.345", "", "credits"},
		{"NegativeCredits", "-1", "", "credits"},
		{"HugeCredits", "100000000000000000", "", "credits"},
		{"HalfCentPrice", "", "2.005", "packages"},
		{"ExponentPrice", "", "2e0", "packages"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"login": {"kid" + strconv.Itoa(i)}, "password": {"kid-password"}, "credits": {tt.credits}, price: {tt.price}}
			code, body := u.post("/reseller/subresellers", form)
			if code != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), tt.field+": ") {
				t.Errorf("got %d, want 400 naming %s: %s", code, tt.field, body)
			}
		})
	}
	kids, err := srv.Admin.Resellers(ctx, api.ResellerFilter{ParentID: dealer.ID}, api.ListParams{})
	if err != nil || len(kids.Items) != 0 || credits(t, srv, dealer.ID) != 1000 {
		t.Fatalf("after refused forms: %d sub-resellers, %d credits, %v; want 0 and 1000", len(kids.Items), credits(t, srv, dealer.ID), err)
	}

	code, body := u.post("/reseller/subresellers", url.Values{"login": {"kid"}, "password": {"kid-password"}, "credits": {"0"}, price: {"2.01"}})
	if code != http.StatusCreated {
		t.Fatalf("create a sub-reseller: %d %s", code, body)
	}
	kids, err = srv.Admin.Resellers(ctx, api.ResellerFilter{ParentID: dealer.ID}, api.ListParams{})
	if err != nil || len(kids.Items) != 1 || kids.Items[0].Packages[0].PriceCreditsMinor != 201 {
		t.Fatalf("sub-reseller: %+v, %v; want one at 2.01", kids.Items, err)
	}
	child := "/reseller/subresellers/" + strconv.FormatInt(kids.Items[0].ID, 10) + "/credits"
	for _, d := range []string{"0.005", "1e-9", "0.1e1", "12.345"} {
		if code, body = u.post(child, url.Values{"delta": {d}}); code != http.StatusBadRequest || !strings.Contains(body, "delta: ") {
			t.Errorf("transfer %s: %d, want 400 naming delta", d, code)
		}
	}
	for _, d := range []string{"0.1", "0.2"} {
		if code, body = u.post(child, url.Values{"delta": {d}}); code != http.StatusOK {
			t.Errorf("transfer %s: %d %s", d, code, body)
		}
	}
	if p, k := credits(t, srv, dealer.ID), credits(t, srv, kids.Items[0].ID); p != 970 || k != 30 {
		t.Errorf("after transfers of 0.1 and 0.2: dealer %d, kid %d; want 970 and 30", p, k)
	}
	if _, body = u.get("/reseller/"); !strings.Contains(body, `id="dash-credits">9.70<`) {
		t.Errorf("dashboard: want 9.70 credits shown, got %s", body)
	}
}

// TestPanelCurrency: with the operator's currency set (branding), amounts
// read "10.00 EUR" in the header, the dashboard and the price list.
func TestPanelCurrency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testserver.Start(t)
	cur, err := srv.Admin.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Admin.UpdateSettings(ctx, api.SettingsUpdate{Branding: &api.Branding{Currency: "EUR"}, Version: cur.Version}); err != nil {
		t.Fatal(err)
	}
	pkg, err := srv.Admin.CreatePackage(ctx, api.Package{Name: "Month", PeriodDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Admin.CreateReseller(ctx, api.Reseller{Login: "euro", Password: "euro-password", CreditsMinor: 1000,
		Packages: []api.ResellerPackage{{PackageID: pkg.ID, PriceCreditsMinor: 250}}}); err != nil {
		t.Fatal(err)
	}
	u := signInPanel(t, srv, "euro", "euro-password")
	_, body := u.get("/reseller/dashboard")
	// The setting reaches the panel with the catalog's reload.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(body, " EUR") && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		_, body = u.get("/reseller/dashboard")
	}
	for _, want := range []string{`id="credits">10.00</strong> EUR`, `id="dash-credits">10.00</strong> EUR`} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard: want %q in it: %s", want, body)
		}
	}
	if _, body = u.get("/reseller/lines"); !strings.Contains(body, "Month · 30 days · 2.50 EUR") {
		t.Errorf("lines: want the price in EUR: %s", body)
	}
}
