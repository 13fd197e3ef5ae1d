package config

import (
	"io"
	"strings"
	"testing"
)

func TestResellerCurrency(t *testing.T) {
	for _, tt := range []struct {
		name, value string
		ok          bool
	}{
		{"Empty", "", true},
		{"Code", "EUR", true},
		{"Symbol", "€", true},
		{"Word", "credits", true},
		{"Space", "US dollars", false},
		{"TooLong", "abcdefghijklm", false},
		{"Control", "EUR\x07", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := func(k string) string {
				if k == "CANALE_RESELLER_CURRENCY" {
					return tt.value
				}
				return ""
			}
			c, err := Parse("canale", nil, env, io.Discard)
			if tt.ok && (err != nil || c.ResellerCurrency != strings.TrimSpace(tt.value)) {
				t.Errorf("%q: got %q, %v; want it kept", tt.value, c.ResellerCurrency, err)
			}
			if !tt.ok && (err == nil || !strings.Contains(err.Error(), "CANALE_RESELLER_CURRENCY")) {
				t.Errorf("%q: got %v, want an error naming CANALE_RESELLER_CURRENCY", tt.value, err)
			}
		})
	}
}
