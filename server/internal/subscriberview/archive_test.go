package subscriberview_test

import (
	"testing"
	"time"

	"canale/server/internal/subscriberview"
)

// TestInArchive is the one archive rule XC's has_archive and the portal's
// guide share: ended, and begun within the DVR depth.
func TestInArchive(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	ch := subscriberview.Channel{Name: "news", DVRDays: 3}
	hour := time.Hour
	for _, tc := range []struct {
		name        string
		ch          subscriberview.Channel
		start, stop time.Time
		want        bool
	}{
		{"ended an hour ago", ch, now.Add(-2 * hour), now.Add(-hour), true},
		{"on now", ch, now.Add(-hour), now.Add(hour), false},
		{"ends exactly now", ch, now.Add(-hour), now, false},
		{"future", ch, now.Add(hour), now.Add(2 * hour), false},
		{"began at the DVR depth", ch, now.Add(-72 * hour), now.Add(-71 * hour), true},
		{"began before the DVR depth", ch, now.Add(-73 * hour), now.Add(-71 * hour), false},
		{"no DVR", subscriberview.Channel{Name: "news"}, now.Add(-2 * hour), now.Add(-hour), false},
	} {
		if got := tc.ch.InArchive(tc.start, tc.stop, now); got != tc.want {
			t.Errorf("%s: InArchive = %v, want %v", tc.name, got, tc.want)
		}
	}
	l := subscriberview.Links{Base: "https://tv.example", StreamBase: "https://edge.example"}
	got := l.Archive(ch, now.Add(-2*hour), 3600, "m3u8", "tok en")
	if want := "https://edge.example/news/archive-1773136800-3600.m3u8?token=tok+en"; got != want {
		t.Errorf("Archive = %q, want %q", got, want)
	}
}
