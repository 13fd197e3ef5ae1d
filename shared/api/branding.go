package api

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Branding is how the customer portal presents the operator
// (settings.data.branding). Every field is optional: an empty one keeps
// Canale's own look.
type Branding struct {
	// Name is the operator's name, shown in the portal's header and page
	// titles instead of "Canale".
	Name string `json:"name"`
	// LogoURL is an absolute http(s) URL of the logo shown beside the name.
	LogoURL string `json:"logo_url"`
	// PrimaryColor (#rrggbb) is the header's background; AccentColor
	// (#rrggbb) colours links and buttons. Both carry white text, so they
	// must be dark enough for it to stay readable (4.5:1, WCAG AA).
	PrimaryColor string `json:"primary_color"`
	AccentColor  string `json:"accent_color"`
	// Currency is the ISO 4217 code shown with subscribers' balances.
	Currency string `json:"currency"`
}

// MaxBrandNameLength bounds Branding.Name, so the portal's header stays one
// line on a phone.
const MaxBrandNameLength = 40

var (
	hexColor     = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)
)

// validate records the failures of b's fields under "branding.".
func (b Branding) validate(f FieldErrors) {
	if n := len([]rune(b.Name)); n > MaxBrandNameLength || (n > 0 && strings.TrimSpace(b.Name) == "") {
		f.Add("branding.name", "must be at most 40 characters and not blank")
	}
	if strings.ContainsAny(b.Name, "\r\n\t") {
		f.Add("branding.name", "must be one line")
	}
	checkURL(f, "branding.logo_url", b.LogoURL, true)
	for field, c := range map[string]string{"branding.primary_color": b.PrimaryColor, "branding.accent_color": b.AccentColor} {
		switch {
		case c == "":
		case !hexColor.MatchString(c):
			f.Add(field, "must be a colour written #rrggbb")
		case ContrastWithWhite(c) < 4.5:
			f.Add(field, "is too light: white text on it must have a contrast of at least 4.5:1")
		}
	}
	if b.Currency != "" && !currencyCode.MatchString(b.Currency) {
		f.Add("branding.currency", "must be a three-letter ISO 4217 code such as EUR")
	}
}

// ContrastWithWhite is the WCAG 2 contrast ratio of white text on the
// colour #rrggbb (1 to 21), or 0 for a malformed colour.
func ContrastWithWhite(hex string) float64 {
	if !hexColor.MatchString(hex) {
		return 0
	}
	v, _ := strconv.ParseUint(hex[1:], 16, 32) // matched six hex digits
	channel := func(shift uint) float64 {
		c := float64((v>>shift)&0xff) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	l := 0.2126*channel(16) + 0.7152*channel(8) + 0.0722*channel(0)
	return 1.05 / (l + 0.05)
}

// BrandingFromJSON reads settings.data.branding; a value that does not parse
// (written by hand) counts as no branding, Canale's own look.
func BrandingFromJSON(raw []byte) Branding {
	var b Branding
	if json.Unmarshal(raw, &b) != nil {
		return Branding{}
	}
	return b
}
