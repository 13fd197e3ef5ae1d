package stalker_test

import (
	"fmt"
	"testing"
)

// TestDoAuthIsNoMACOracle: with one valid login, do_auth must not list
// which MACs other subscribers' boxes have (it answers false for those and
// true for a free MAC, which it registers), nor let its caller squat on
// free MACs without end. Both count in the scan guard, so the caller's
// address is cut off after the threshold.
func TestDoAuthIsNoMACOracle(t *testing.T) {
	p := newPortal(t, "--trusted-proxies", "127.0.0.1")
	for i := 0; i < 25; i++ {
		p.device(t, "bob", fmt.Sprintf("00:1A:79:00:01:%02X", i), false)
	}
	probe := func(forward, mac string) string {
		b := newBox(t, p.srv.URL, mac)
		b.forward = forward
		return b.call("stb", "do_auth", "login", "alice", "password", password)
	}
	for _, c := range []struct{ name, addr, macs string }{
		{"bob's MACs", "203.0.113.7", "00:1A:79:00:01:%02X"},
		{"free MACs", "203.0.113.8", "00:1A:79:00:02:%02X"},
	} {
		cut := -1
		for i := 0; i < 25 && cut < 0; i++ {
			if probe(c.addr, fmt.Sprintf(c.macs, i)) == "Access denied." {
				cut = i
			}
		}
		if cut < 0 || cut > 20 {
			t.Errorf("alice asked do_auth about 25 of %s from %s: cut off at %d, want by the 21st", c.name, c.addr, cut)
		}
	}
	devs, err := p.srv.Store.FindDevices(t.Context(), p.subs["alice"].ID)
	if err != nil || len(devs) > 20 {
		t.Errorf("alice registered %d free MACs, want at most the threshold (%v)", len(devs), err)
	}
	// A household elsewhere still registers its box.
	var ok bool
	b := newBox(t, p.srv.URL, "00:1A:79:00:03:01")
	b.forward = "198.51.100.3"
	b.js(&ok, "stb", "do_auth", "login", "alice", "password", password)
	if !ok {
		t.Fatal("do_auth from another address during the probing failed")
	}
}
