package stalker

import (
	"fmt"
	"testing"

	"canale/server/internal/store"
	"canale/server/internal/subscriberview"
	"canale/shared/api"
)

// TestWatchdogTimeslot: Kodi's pvr.stalker waits timeslot seconds between
// its watchdog calls (CWatchdog takes it as the period), so a box given a
// timeslot near 0 calls without pause; the MAG portal JS takes it as the
// offset inside watchdog_timeout. Every box gets one in the second half of
// the period, and boxes still spread over it.
func TestWatchdogTimeslot(t *testing.T) {
	seen := map[int]bool{}
	for i := range 5000 {
		mac := fmt.Sprintf("00:1A:79:%02X:%02X:%02X", i>>16&0xff, i>>8&0xff, i&0xff)
		p := profile(store.PortalDevice{Device: api.Device{ID: int64(i + 1), MAC: mac}}, subscriberview.Subscriber{}, "MAG250")
		slot, ratio := p["timeslot"].(int), p["timeslot_ratio"].(float64)
		if slot < watchdogTimeout/2 || slot >= watchdogTimeout || int(ratio*watchdogTimeout) != slot {
			t.Fatalf("%s: timeslot %d (ratio %v), want %d to %d s, the ratio's share of %d s",
				mac, slot, ratio, watchdogTimeout/2, watchdogTimeout-1, watchdogTimeout)
		}
		seen[slot] = true
	}
	if len(seen) < watchdogTimeout/4 {
		t.Fatalf("5000 boxes share only %d timeslots", len(seen))
	}
}
