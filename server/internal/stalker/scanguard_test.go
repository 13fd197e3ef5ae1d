package stalker

import (
	"fmt"
	"testing"
	"time"

	"canale/shared/api"
)

// TestScanGuardRefusedSet: an address is refused from the call that
// crosses the threshold until its window ends, an IPv6 address with its
// /64 and an IPv4-mapped one as its IPv4 form, with one alert; other
// addresses are not; and when more addresses are cut off than the set
// holds, the counters still refuse the rest.
func TestScanGuardRefusedSet(t *testing.T) {
	now := time.Unix(1_900_000_000, 0)
	var alerts []api.Alert
	g := newScanGuard(ScanOptions{Max: 3, Window: time.Minute}, func() time.Time { return now },
		func(a api.Alert) { alerts = append(alerts, a) })
	for _, ip := range []string{"203.0.113.5", "2001:db8:1:2::1"} {
		for i := 0; i < 3; i++ {
			if !g.allowed(ip) {
				t.Fatalf("%s refused after %d unknown MACs, want 3 allowed", ip, i)
			}
			g.unknown(ip)
		}
	}
	for _, c := range []struct {
		ip   string
		want bool
	}{
		{"203.0.113.5", false}, {"::ffff:203.0.113.5", false}, {"203.0.113.6", true},
		{"2001:db8:1:2::ffff", false}, {"2001:db8:1:2::1%eth0", false}, {"2001:db8:1:3::1", true},
		{"", true}, {"not an address", true},
	} {
		if got := g.allowed(c.ip); got != c.want {
			t.Errorf("allowed(%q) = %v, want %v", c.ip, got, c.want)
		}
	}
	if len(alerts) != 2 || alerts[0].Subject != "203.0.113.5" || alerts[1].Subject != "2001:db8:1:2::/64" {
		t.Errorf("alerts %+v, want one per address", alerts)
	}
	now = now.Add(time.Minute)
	if !g.allowed("203.0.113.5") || !g.allowed("2001:db8:1:2::1") {
		t.Error("refused after the window ended")
	}

	g.maxRefused = 4
	for n := 0; n < 6; n++ {
		ip := fmt.Sprintf("198.51.100.%d", n)
		for i := 0; i < 3; i++ {
			g.unknown(ip)
		}
	}
	for n := 0; n < 6; n++ {
		if ip := fmt.Sprintf("198.51.100.%d", n); g.allowed(ip) {
			t.Errorf("%s allowed after the refused set filled, want refused by the counters", ip)
		}
	}
	if g.allowed("198.51.100.200") != true {
		t.Error("an innocent address refused once the set filled")
	}
}
