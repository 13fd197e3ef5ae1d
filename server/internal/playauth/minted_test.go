package playauth

import (
	"strings"
	"testing"
	"time"
)

// TestMintedLinkBinding: a minted token reads back only with the secret
// that signed it and from the address (IPv6: the /64) it was minted for;
// any change to its text voids it.
func TestMintedLinkBinding(t *testing.T) {
	exp := time.Unix(1_900_000_000, 0)
	l := MintedLink{SubscriberID: 7, DeviceID: 3, ChannelID: 1001, Expires: exp}
	tok := MintLink("secret", l, "2001:db8:1:2::1")
	if got, ok := parseMinted("secret", tok, "2001:db8:1:2::ffff"); !ok || got != l {
		t.Fatalf("same /64: %+v, %v; want %+v", got, ok, l)
	}
	for _, c := range []struct{ name, secret, token, addr string }{
		{"other /64", "secret", tok, "2001:db8:1:3::1"},
		{"other secret", "rotated", tok, "2001:db8:1:2::1"},
		{"no secret", "", tok, "2001:db8:1:2::1"},
		{"other channel", "secret", strings.Replace(tok, ".1001.", ".1002.", 1), "2001:db8:1:2::1"},
		{"later expiry", "secret", strings.Replace(tok, ".1900000000.", ".1900000001.", 1), "2001:db8:1:2::1"},
		{"no signature", "secret", tok[:strings.LastIndexByte(tok, '.')], "2001:db8:1:2::1"},
		{"not minted", "secret", "tok-alice", "2001:db8:1:2::1"},
		{"prefix only", "secret", "m1.", "2001:db8:1:2::1"},
	} {
		if got, ok := parseMinted(c.secret, c.token, c.addr); ok {
			t.Errorf("%s: accepted as %+v", c.name, got)
		}
	}
	v4 := MintLink("secret", l, "198.51.100.7")
	if _, ok := parseMinted("secret", v4, "198.51.100.8"); ok {
		t.Error("an IPv4 link played from the next address")
	}
	if _, ok := parseMinted("secret", v4, "::ffff:198.51.100.7"); !ok {
		t.Error("an IPv4 link refused from its IPv4-mapped form")
	}
}
