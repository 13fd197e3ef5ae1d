package playauth

import (
	"strings"
	"testing"
	"time"

	"canale/server/internal/ratelimit"
)

// TestMintedLinkBinding: a minted token reads back only with the secret
// that signed it and from the address (IPv6: the /64) it was minted for;
// any change to its text voids it.
func TestMintedLinkBinding(t *testing.T) {
	exp := time.Unix(1_900_000_000, 0)
	l := MintedLink{SubscriberID: 7, DeviceID: 3, ChannelID: 1001, Expires: exp}
	tok := MintLink("secret", l, "2001:db8:1:2::1")
	if got, ok := parseMinted("secret", tok, "2001:db8:1:2::ffff", "ch1001"); !ok || got != l {
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
		if got, ok := parseMinted(c.secret, c.token, c.addr, "ch1001"); ok {
			t.Errorf("%s: accepted as %+v", c.name, got)
		}
	}
	v4 := MintLink("secret", l, "198.51.100.7")
	if _, ok := parseMinted("secret", v4, "198.51.100.8", "ch1001"); ok {
		t.Error("an IPv4 link played from the next address")
	}
	if _, ok := parseMinted("secret", v4, "::ffff:198.51.100.7", "ch1001"); !ok {
		t.Error("an IPv4 link refused from its IPv4-mapped form")
	}
}

// TestMintedOnDemandLinkBinding: a movie's or episode's link (a negative
// channel) reads back only for the file it was minted for, from its
// address, and its file cannot be swapped by editing the token.
func TestMintedOnDemandLinkBinding(t *testing.T) {
	l := MintedLink{SubscriberID: 7, DeviceID: 3, ChannelID: -42, Expires: time.Unix(1_900_000_000, 0),
		File: "vod/films/a.mp4"}
	tok := MintLink("secret", l, "198.51.100.7")
	if got, ok := parseMinted("secret", tok, "198.51.100.7", "vod/films/a.mp4"); !ok || got != l {
		t.Fatalf("its own file: %+v, %v; want %+v", got, ok, l)
	}
	for _, c := range []struct{ name, token, addr, file string }{
		{"another file", tok, "198.51.100.7", "vod/films/b.mp4"},
		{"no file", tok, "198.51.100.7", ""},
		{"another address", tok, "198.51.100.8", "vod/films/a.mp4"},
		{"another id", strings.Replace(tok, ".-42.", ".-43.", 1), "198.51.100.7", "vod/films/a.mp4"},
		{"as a live channel", strings.Replace(tok, ".-42.", ".42.", 1), "198.51.100.7", "vod/films/a.mp4"},
	} {
		if got, ok := parseMinted("secret", c.token, c.addr, c.file); ok {
			t.Errorf("%s: accepted as %+v", c.name, got)
		}
	}
	// A live link signs no file: the channel id names what it opens.
	live := MintLink("secret", MintedLink{SubscriberID: 7, DeviceID: 3, ChannelID: 42, Expires: l.Expires,
		File: "ignored"}, "198.51.100.7")
	if got, ok := parseMinted("secret", live, "198.51.100.7", "ch42"); !ok || got.File != "" {
		t.Errorf("live link: %+v, %v", got, ok)
	}
}

// TestAppendAddressKey: links sign the address exactly as every limit
// keys it, so the two cannot drift apart.
func TestAppendAddressKey(t *testing.T) {
	for _, a := range []string{"198.51.100.7", "::ffff:198.51.100.7", "2001:db8:1:2::1", "2001:db8:1:2::1%eth0",
		"fe80::1%lo", "::1", "", "not an address", "1.2.3.04"} {
		if got, want := string(appendAddressKey([]byte("x"), a)), "x"+ratelimit.AddressKey(a); got != want {
			t.Errorf("appendAddressKey(%q) = %q, want %q", a, got, want)
		}
	}
}

// TestMintLinkAllocations: signing a create_link's token with a reused
// HMAC allocates nothing. The HMACs come from a sync.Pool, which keeps
// them between zaps but may drop any at will (the race detector, which
// make test runs under, drops them at random), so the count is taken on
// the signing itself with one MAC held, and the pooled path is checked to
// sign the same token.
func TestMintLinkAllocations(t *testing.T) {
	l := MintedLink{SubscriberID: 7, DeviceID: 3, ChannelID: 1001, Expires: time.Unix(1_900_000_000, 0)}
	token := MintLink("secret", l, "198.51.100.7")
	m := mintedMACsFor("secret").macs.Get().(*mintedMAC)
	body := []byte(token[:strings.LastIndexByte(token, '.')])
	room := make([]byte, 0, 128)
	if got := string(m.appendSignature(room[:0], body, "198.51.100.7", "")); got != token[len(body)+1:] {
		t.Fatalf("signature with a held MAC %q, want the pooled path's %q", got, token[len(body)+1:])
	}
	if n := testing.AllocsPerRun(100, func() { m.appendSignature(room[:0], body, "198.51.100.7", "") }); n != 0 {
		t.Errorf("signing a minted link: %v allocations, want 0", n)
	}
}
