package api

import "testing"

func TestResellerLinkBase(t *testing.T) {
	for dns, want := range map[string]string{
		"":                            "",
		"  ":                          "",
		"tv.example.com":              "http://tv.example.com",
		"https://tv.example.com:8443": "https://tv.example.com:8443",
		"https://tv.example.com/":     "https://tv.example.com",
		"tv.example.com/path":         "", // refused by the rules: the server's own
		"ftp://tv.example.com":        "",
		"http://user@tv.example.com":  "",
	} {
		if got := ResellerLinkBase(dns); got != want {
			t.Errorf("ResellerLinkBase(%q): got %q, want %q", dns, got, want)
		}
	}
}
