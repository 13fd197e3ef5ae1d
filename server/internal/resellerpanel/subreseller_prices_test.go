package resellerpanel_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"canale/shared/api"
)

// TestPanelSubResellerPrices sets what a sub-reseller sells from its page:
// never below the parent's own price, exact to the cent, blank to stop
// selling; the child cannot set its parent's.
func TestPanelSubResellerPrices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, dealer := panelServer(t) // sells its package at 2.00
	allowSubResellers(t, srv, dealer.ID)
	u := signInPanel(t, srv, dealerLogin, dealerPassword)
	price := "price_" + strconv.FormatInt(dealer.Packages[0].PackageID, 10)
	if code, body := u.post("/reseller/subresellers", url.Values{"login": {"kid"}, "password": {"kid-password"}, price: {"2.50"}}); code != http.StatusCreated {
		t.Fatalf("create a sub-reseller: %d %s", code, body)
	}
	kids, err := srv.Admin.Resellers(ctx, api.ResellerFilter{ParentID: dealer.ID}, api.ListParams{})
	if err != nil || len(kids.Items) != 1 {
		t.Fatalf("sub-resellers: %+v, %v", kids.Items, err)
	}
	kid := kids.Items[0]
	page := "/reseller/subresellers/" + strconv.FormatInt(kid.ID, 10)
	if _, body := u.get(page); !strings.Contains(body, `name="`+price+`" inputmode="decimal" value="2.50"`) {
		t.Errorf("kid's page: want its price 2.50 in the form: %s", body)
	}
	kidPrice := func() []api.ResellerPackage {
		t.Helper()
		r, err := srv.Admin.Reseller(ctx, kid.ID)
		if err != nil {
			t.Fatal(err)
		}
		return r.Packages
	}
	for _, bad := range []string{"1.99", "2.005", "3e0"} {
		if code, body := u.post(page+"/packages", url.Values{price: {bad}}); code != http.StatusBadRequest || !strings.Contains(body, "packages: ") {
			t.Errorf("price %s: %d, want 400 naming packages", bad, code)
		}
	}
	if got := kidPrice(); len(got) != 1 || got[0].PriceCreditsMinor != 250 {
		t.Errorf("kid's prices after refusals: %+v, want 2.50 still", got)
	}
	if code, body := u.post(page+"/packages", url.Values{price: {"3.01"}}); code != http.StatusOK || !strings.Contains(body, "Prices saved") {
		t.Errorf("price 3.01: %d %s", code, body)
	}
	if got := kidPrice(); len(got) != 1 || got[0].PriceCreditsMinor != 301 {
		t.Errorf("kid's prices: %+v, want 3.01 (301)", got)
	}
	if code, _ := u.post(page+"/packages", url.Values{price: {""}}); code != http.StatusOK {
		t.Errorf("stop selling: %d", code)
	}
	if got := kidPrice(); len(got) != 0 {
		t.Errorf("kid's prices after a blank: %+v, want none", got)
	}

	kidUser := signInPanel(t, srv, "kid", "kid-password")
	if code, _ := kidUser.post("/reseller/subresellers/"+strconv.FormatInt(dealer.ID, 10)+"/packages", url.Values{price: {"0.01"}}); code < 400 {
		t.Errorf("kid prices its parent: %d, want a refusal", code)
	}
	if r, err := srv.Admin.Reseller(ctx, dealer.ID); err != nil || len(r.Packages) != 1 || r.Packages[0].PriceCreditsMinor != 200 {
		t.Errorf("dealer's prices after the kid's try: %+v, %v; want 2.00 still", r.Packages, err)
	}
}
