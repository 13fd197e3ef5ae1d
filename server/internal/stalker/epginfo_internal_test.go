package stalker

import (
	"testing"
	"time"
)

// TestEPGInfoPeriod: get_epg_info answers Ministra's 3 hours without a
// period, and at most a day whatever it asks (Kodi asks for its whole
// four-day window over every channel at once).
func TestEPGInfoPeriod(t *testing.T) {
	for param, want := range map[string]time.Duration{"": 3 * time.Hour, "x": 3 * time.Hour, "-2": 3 * time.Hour,
		"5": 5 * time.Hour, "24": 24 * time.Hour, "96": 24 * time.Hour} {
		if got := epgInfoPeriod(param); got != want {
			t.Errorf("period %q: %v, want %v", param, got, want)
		}
	}
}
