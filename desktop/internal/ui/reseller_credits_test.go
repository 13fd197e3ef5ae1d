package ui

import (
	"strings"
	"testing"

	"canale/shared/api"
)

// TestResellersScreenCreditChangeIsExact types credit changes an operator
// might: a third decimal is refused before anything is sent, 0.10 and
// 0.20 add up to exactly 0.30, shown as such.
func TestResellersScreenCreditChangeIsExact(t *testing.T) {
	f := setup(t)
	f.signInAdmin(t)
	r, err := f.srv.Admin.CreateReseller(ctx(t), api.Reseller{Login: "dealer", Password: "dealer-password"})
	if err != nil {
		t.Fatal(err)
	}
	s := screenOf[*resellersScreen](t, f)
	f.ui(func() { s.edit(r) })
	f.ui(func() { s.delta.SetText("12.345"); s.reason.SetText("typo") })
	f.tapOn(t, s, "Apply credit change")
	var outcome string
	f.ui(func() { outcome = s.outcome.Text })
	if !strings.Contains(outcome, "delta") || !strings.Contains(outcome, "2 decimals") {
		t.Errorf("12.345: outcome %q, want a refusal naming delta and its decimals", outcome)
	}
	for _, d := range []string{"0.10", "0.2"} {
		f.ui(func() { s.delta.SetText(d); s.reason.SetText("coins") })
		f.tapOn(t, s, "Apply credit change")
		f.waitUI(t, "change "+d+" applied", func() bool { return s.delta.Text == "" })
	}
	f.waitUI(t, "0.30 shown", func() bool { return s.credits.Text == "0.30" })
	got, err := f.srv.Admin.Reseller(ctx(t), r.ID)
	if err != nil || got.CreditsMinor != 30 {
		t.Errorf("credits on the server: %+v, %v; want 30 minor units", got.CreditsMinor, err)
	}
}
