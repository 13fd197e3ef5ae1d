package portal

import (
	"testing"

	"canale/server/internal/subscriberview"
	"canale/shared/api"
)

// TestBalanceCurrency: the balance carries the operator's currency setting,
// else the currency the subscriber's priced packages are sold in.
func TestBalanceCurrency(t *testing.T) {
	pkgs := []subscriberview.Package{{Name: "Free", Price: "0.00", Currency: "USD"}, {Name: "Basic", Price: "9.90", Currency: "RUB"}}
	for _, tc := range []struct {
		setting, amount string
		pkgs            []subscriberview.Package
		want            string
	}{
		{"EUR", "12.50", pkgs, "12.50\u00a0EUR"},
		{"", "12.50", pkgs, "12.50\u00a0RUB"},
		{"", "3.00", nil, "3.00"},
		{"EUR", "", nil, "0.00\u00a0EUR"},
	} {
		p := New(Deps{Branding: func() api.Branding { return api.Branding{Currency: tc.setting} }})
		if got := p.balance(tc.amount, tc.pkgs); got != tc.want {
			t.Errorf("balance(%q) with setting %q = %q, want %q", tc.amount, tc.setting, got, tc.want)
		}
	}
}
