package api

import (
	"strconv"
	"strings"
)

// Credits are money, so they travel as int64 minor units (hundredths of a
// credit, like cents): a float cannot hold 0.10 exactly, and a reseller
// who is charged 0.1 + 0.2 must pay 0.30, not 0.30000000000000004. The
// database keeps numeric(30,2); the store converts at the column, and
// every text form of an amount is parsed and written here and nowhere
// else.

// CreditsScale is the number of minor units in one credit.
const CreditsScale = 100

// MaxCreditsMinor is the largest amount (balance, price or change) Canale
// takes: 9,999,999,999,999,999.99 credits. Two of them add up without
// overflowing an int64, so a sum of a balance and a change is always
// checked rather than wrapped.
const MaxCreditsMinor int64 = 1e18 - 1

// ParseCredits reads a credit amount typed by a person, "12", "12.3" or
// "12.34" (a leading "-" when negative is allowed), into minor units. It
// refuses anything else: a third decimal ("12.345", which would round),
// exponents ("1e-9"), signs that are not allowed, and amounts beyond
// MaxCreditsMinor. Errors are CodeInvalid and name field.
func ParseCredits(field, s string, allowNegative bool) (int64, error) {
	f := FieldErrors{}
	v := parseCredits(f, field, strings.TrimSpace(s), allowNegative)
	return v, f.Err()
}

func parseCredits(f FieldErrors, field, s string, allowNegative bool) int64 {
	neg := strings.HasPrefix(s, "-")
	if neg {
		if !allowNegative {
			f.Add(field, "must not be negative")
			return 0
		}
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	switch {
	case whole == "" || !digitsOnly(whole) || !digitsOnly(frac) || (hasDot && frac == ""):
		f.Add(field, "must be an amount like 12.34")
		return 0
	case len(frac) > 2:
		f.Add(field, "must have at most 2 decimals")
		return 0
	case len(strings.TrimLeft(whole, "0")) > 16:
		f.Add(field, "must be at most "+FormatCredits(MaxCreditsMinor))
		return 0
	}
	units, _ := strconv.ParseInt(whole, 10, 64) // at most 16 significant digits: fits
	cents, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	v := units*CreditsScale + cents
	if neg {
		v = -v
	}
	return v
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatCredits writes minor units as a plain decimal with two places,
// "12.34" or "-0.05", the form ParseCredits reads back.
func FormatCredits(minor int64) string {
	sign := ""
	u := uint64(minor)
	if minor < 0 {
		sign, u = "-", uint64(-minor) // -MinInt64 wraps to itself; as uint64 it is right
	}
	cents := strconv.FormatUint(u%CreditsScale, 10)
	if len(cents) < 2 {
		cents = "0" + cents
	}
	return sign + strconv.FormatUint(u/CreditsScale, 10) + "." + cents
}

// checkCredits adds to f why an amount in minor units is out of range:
// above MaxCreditsMinor (either sign), or negative where it must not be.
func checkCredits(f FieldErrors, field string, minor int64, allowNegative bool) {
	switch {
	case minor < 0 && !allowNegative:
		f.Add(field, "must not be negative")
	case minor > MaxCreditsMinor || minor < -MaxCreditsMinor:
		f.Add(field, "must be at most "+FormatCredits(MaxCreditsMinor)+" credits (in minor units)")
	}
}
