package adminapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"canale/shared/api"
)

// TestCreditAmountsAreWholeMinorUnits sends the amounts a float API would
// round or wrap and wants each refused with the field named, the balance
// untouched; then it checks that 0.10 + 0.20 credits are exactly 0.30.
func TestCreditAmountsAreWholeMinorUnits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t) // reseller one: 10.00 credits
	url := fmt.Sprintf("%s/api/v1/resellers/%d/credits", b.srv.URL, b.one.ID)
	tests := []struct {
		name, body, field string
	}{
		{"Fraction", `{"delta_minor": 0.1, "reason": "r"}`, "delta_minor"},
		{"Tiny", `{"delta_minor": 1e-9, "reason": "r"}`, "delta_minor"},
		{"Overflow", `{"delta_minor": 1e30, "reason": "r"}`, "delta_minor"},
		{"PastInt64", `{"delta_minor": 9223372036854775808, "reason": "r"}`, "delta_minor"},
		{"BeyondMax", `{"delta_minor": 1000000000000000000, "reason": "r"}`, "delta_minor"},
		{"BeyondMaxNegative", `{"delta_minor": -1000000000000000000, "reason": "r"}`, "delta_minor"},
		{"String", `{"delta_minor": "12.345", "reason": "r"}`, "delta_minor"},
		{"OldFloatField", `{"delta": 12.34, "reason": "r"}`, "delta_minor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := call(t, http.MethodPost, url, b.srv.Admin.Token(), tt.body)
			if code != http.StatusBadRequest || errorField(t, body, tt.field) == "" {
				t.Errorf("got %d %s, want 400 naming %s", code, body, tt.field)
			}
		})
	}
	if got := credits(t, b, b.one.ID); got != 1000 {
		t.Fatalf("balance after refused changes: got %d, want 1000", got)
	}

	for _, d := range []int64{10, 20} {
		if _, err := b.srv.Admin.ChangeResellerCredits(ctx, b.one.ID, api.CreditChange{DeltaMinor: d, Reason: "coins"}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := b.srv.Admin.Reseller(ctx, b.one.ID)
	if err != nil || api.FormatCredits(r.CreditsMinor) != "10.30" {
		t.Errorf("10.00 + 0.10 + 0.20: got %s, %v; want exactly 10.30", api.FormatCredits(r.CreditsMinor), err)
	}
	logPage, err := b.srv.Admin.CreditLog(ctx, b.one.ID, api.ListParams{Limit: 10})
	log := logPage.Items
	if err != nil || len(log) < 2 || log[0].DeltaMinor != 20 || log[0].BalanceBeforeMinor != 1010 || log[0].BalanceAfterMinor != 1030 {
		t.Errorf("credit log: got %+v, %v; want +20 from 1010 to 1030 first", log, err)
	}

	// A top-up past the most Canale holds is refused, not wrapped.
	_, err = b.srv.Admin.ChangeResellerCredits(ctx, b.one.ID, api.CreditChange{DeltaMinor: api.MaxCreditsMinor, Reason: "too much"})
	if e, ok := err.(*api.Error); !ok || e.Code != api.CodeConflict || e.Fields["credits"] == "" {
		t.Errorf("balance past the maximum: got %v, want a conflict naming credits", err)
	}
	if got := credits(t, b, b.one.ID); got != 1030 {
		t.Errorf("balance after a refused top-up: got %d, want 1030", got)
	}
}

// TestPricesAreWholeMinorUnits: a price of half a minor unit cannot be set,
// so no sale can round a debit down to nothing; the smallest price, 0.01,
// sells exactly as many lines as the credits pay for.
func TestPricesAreWholeMinorUnits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	url := fmt.Sprintf("%s/api/v1/resellers/%d", b.srv.URL, b.one.ID)
	for _, price := range []string{"0.5", "-1", "1e30"} {
		body := fmt.Sprintf(`{"packages": [{"package_id": %d, "price_credits_minor": %s}], "version": %d}`, b.pkg, price, b.one.Version)
		code, out := call(t, http.MethodPatch, url, b.srv.Admin.Token(), body)
		if code != http.StatusBadRequest || (errorField(t, out, "packages") == "" && errorField(t, out, "packages.price_credits_minor") == "") {
			t.Errorf("price %s: got %d %s, want 400 naming the packages' price", price, code, out)
		}
	}
	one, err := b.srv.Admin.Reseller(ctx, b.one.ID)
	if err != nil {
		t.Fatal(err)
	}
	cent := []api.ResellerPackage{{PackageID: b.pkg, PriceCreditsMinor: 1}}
	if _, err := b.srv.Admin.UpdateReseller(ctx, b.one.ID, api.ResellerUpdate{Packages: &cent, Version: one.Version}); err != nil {
		t.Fatal(err)
	}
	// 10.00 credits; take all but 0.03 away, then sell at 0.01.
	if _, err := b.srv.Admin.ChangeResellerCredits(ctx, b.one.ID, api.CreditChange{DeltaMinor: -997, Reason: "leave 0.03"}); err != nil {
		t.Fatal(err)
	}
	sold := 0
	for i := range 5 {
		_, err := b.c1.CreateSubscriber(ctx, api.Subscriber{Login: fmt.Sprintf("cent%d", i), Password: "pw", PackageIDs: []int64{b.pkg}})
		if err == nil {
			sold++
		} else if api.ErrorCode(err) != api.CodeConflict {
			t.Fatalf("sale %d: %v", i, err)
		}
	}
	if got := credits(t, b, b.one.ID); sold != 3 || got != 0 {
		t.Errorf("sales at 0.01 on 0.03: got %d sold and %d left, want 3 and 0", sold, got)
	}
}

// errorField returns the reason the error body gives for field.
func errorField(t *testing.T, body, field string) string {
	t.Helper()
	var e struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e.Error.Fields[field]
}
