package xtream

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzTimeshiftParams feeds the timeshift parameters (spec §1.3: duration in
// minutes, start as 2025-03-01:20-00 or unix seconds) anything: an accepted
// pair has a duration whose seconds fit the archive URL, and a start
// written in any accepted form reads back as the same minute.
func FuzzTimeshiftParams(f *testing.F) {
	f.Add("120", "2025-03-01:20-00", int64(1740859200))
	f.Add("60", "2025-03-01:20-00-30", int64(1_000_000_001))
	f.Add("9223372036854775807", "2025-03-01 20:00:00", int64(-1))
	f.Add("-5", "1740859200", int64(1<<62))
	f.Add("0x10", "2025-02-30:25-61", int64(0))
	f.Fuzz(func(t *testing.T, duration, start string, unix int64) {
		if minutes, _, ok := parseTimeshift(duration, start); ok && (minutes <= 0 || minutes > maxTimeshiftMinutes) {
			t.Fatalf("parseTimeshift(%q, %q): accepted %d minutes, want 1..%d", duration, start, minutes, maxTimeshiftMinutes)
		}
		if unix > 1_000_000_000 && unix < 1<<37 {
			want := time.Unix(unix, 0).UTC()
			if got, ok := ParseStart(strconv.FormatInt(unix, 10)); !ok || !got.Equal(want) {
				t.Fatalf("ParseStart(%d): got %v, %v; want %v", unix, got, ok, want)
			}
			for _, l := range startLayouts {
				s := want.Format(l)
				got, ok := ParseStart(s)
				if !ok || !got.Equal(want.Truncate(time.Minute)) && !(strings.Count(l, "05") == 1 && got.Equal(want)) {
					t.Fatalf("ParseStart(%q): got %v, %v; want %v", s, got, ok, want)
				}
			}
		}
	})
}
