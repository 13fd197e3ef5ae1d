package api

import "testing"

func TestParseCredits(t *testing.T) {
	tests := []struct {
		name, in string
		neg      bool
		want     int64
		bad      bool
	}{
		{name: "Whole", in: "12", want: 1200},
		{name: "OneDecimal", in: "12.3", want: 1230},
		{name: "TwoDecimals", in: " 12.34 ", want: 1234},
		{name: "Tenth", in: "0.1", want: 10},
		{name: "Max", in: "9999999999999999.99", want: MaxCreditsMinor},
		{name: "LeadingZeros", in: "00000000000000000012.30", want: 1230},
		{name: "Negative", in: "-0.05", neg: true, want: -5},
		{name: "NegativeRefused", in: "-1", bad: true},
		{name: "ThirdDecimal", in: "12.345", bad: true},
		{name: "HalfCent", in: "0.005", bad: true},
		{name: "Exponent", in: "1e-9", bad: true},
		{name: "BigExponent", in: "1e30", bad: true},
		{name: "Huge", in: "99999999999999999", bad: true},
		{name: "PastInt64", in: "92233720368547758.08", bad: true},
		{name: "Empty", in: "", bad: true},
		{name: "DotOnly", in: ".", bad: true},
		{name: "TrailingDot", in: "1.", bad: true},
		{name: "NoWhole", in: ".5", bad: true},
		{name: "Plus", in: "+1", bad: true},
		{name: "Comma", in: "1,50", bad: true},
		{name: "NaN", in: "NaN", bad: true},
		{name: "DoubleMinus", in: "--1", neg: true, bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCredits("price", tt.in, tt.neg)
			if tt.bad {
				if e, ok := err.(*Error); !ok || e.Code != CodeInvalid || e.Fields["price"] == "" {
					t.Errorf("ParseCredits(%q): got %d, %v; want an invalid error naming price", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseCredits(%q): got %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFormatCredits(t *testing.T) {
	for minor, want := range map[int64]string{0: "0.00", 5: "0.05", 30: "0.30", 1234: "12.34", -5: "-0.05",
		-1234: "-12.34", MaxCreditsMinor: "9999999999999999.99", -9223372036854775808: "-92233720368547758.08"} {
		if got := FormatCredits(minor); got != want {
			t.Errorf("FormatCredits(%d): got %q, want %q", minor, got, want)
		}
		if minor >= -MaxCreditsMinor {
			if back, err := ParseCredits("x", want, true); err != nil || back != minor {
				t.Errorf("ParseCredits(FormatCredits(%d)): got %d, %v", minor, back, err)
			}
		}
	}
	// 0.1 + 0.2 is 0.30 in minor units, where float64 gives 0.30000000000000004.
	a, _ := ParseCredits("a", "0.1", false)
	b, _ := ParseCredits("b", "0.2", false)
	if got := FormatCredits(a + b); got != "0.30" {
		t.Errorf("0.1 + 0.2: got %s, want 0.30", got)
	}
}

func TestCreditAmountRanges(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"NegativeOpening", Reseller{Login: "a", Password: "p", CreditsMinor: -1}.Validate(), "credits_minor"},
		{"HugeOpening", Reseller{Login: "a", Password: "p", CreditsMinor: MaxCreditsMinor + 1}.Validate(), "credits_minor"},
		{"NegativePrice", Reseller{Login: "a", Password: "p", Packages: []ResellerPackage{{PackageID: 1, PriceCreditsMinor: -1}}}.Validate(), "packages"},
		{"HugePrice", Reseller{Login: "a", Password: "p", Packages: []ResellerPackage{{PackageID: 1, PriceCreditsMinor: MaxCreditsMinor + 1}}}.Validate(), "packages"},
		{"ZeroChange", CreditChange{Reason: "r"}.Validate(), "delta_minor"},
		{"HugeChange", CreditChange{DeltaMinor: -MaxCreditsMinor - 1, Reason: "r"}.Validate(), "delta_minor"},
		{"HugeTransfer", CreditTransfer{DeltaMinor: MaxCreditsMinor + 1}.Validate(), "delta_minor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if e, ok := tt.err.(*Error); !ok || e.Fields[tt.field] == "" {
				t.Errorf("got %v, want an error naming %s", tt.err, tt.field)
			}
		})
	}
}
