package stalker_test

import (
	"fmt"
	"testing"

	"canale/server/internal/stalker"
)

// TestMACScanCutOff: a bot walking MACs from one address (an IPv6 /64
// counts as one, and the address comes through the trusted-proxy rules) is
// refused after the threshold, with an alert, even for a real MAC; a known
// device from another address still boots.
func TestMACScanCutOff(t *testing.T) {
	p := newPortal(t, "--trusted-proxies", "127.0.0.1")
	p.device(t, "alice", aliceMAC, false)
	p.device(t, "bob", "00:1A:79:00:00:AA", false)

	for _, c := range []struct{ scanner, sameNet, otherNet string }{
		{"203.0.113.5", "203.0.113.5", "198.51.100.9"},
		{"2001:db8:1:2::1", "2001:db8:1:2::ffff", "2001:db8:1:3::1"},
	} {
		for i := 0; i < 20; i++ {
			bot := newBox(t, p.srv.URL, fmt.Sprintf("00:1A:79:77:%02X:%02X", i/256, i%256))
			bot.forward = c.scanner
			if pr := bot.boot(); pr.Status != 1 {
				t.Fatalf("scan %d from %s: %+v", i, c.scanner, pr)
			}
		}
		bot := newBox(t, p.srv.URL, aliceMAC) // the bot hits a real MAC
		bot.forward = c.sameNet
		if body := bot.call("stb", "handshake"); body != "Access denied." {
			t.Fatalf("scanner's network %s after 20 unknown MACs: %q, want refused", c.sameNet, body)
		}
		known := newBox(t, p.srv.URL, "00:1A:79:00:00:AA")
		known.forward = c.otherNet
		if pr := known.boot(); pr.Status != 0 {
			t.Fatalf("known device from %s during the scan: %+v", c.otherNet, pr)
		}
		var genres []any
		known.js(&genres, "itv", "get_genres")
	}

	alerts, err := p.srv.Admin.Alerts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var scans []string
	for _, a := range alerts {
		if a.Kind == stalker.AlertMACScan {
			scans = append(scans, a.Subject)
		}
	}
	if len(scans) != 2 || scans[0] != "203.0.113.5" && scans[1] != "203.0.113.5" {
		t.Fatalf("scan alerts for %v, want one for 203.0.113.5 and one for 2001:db8:1:2::/64", scans)
	}
}
