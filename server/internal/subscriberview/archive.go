package subscriberview

import (
	"fmt"
	"time"
)

// ArchiveFrom is the earliest instant of ch's archive at now; the zero
// time when the channel keeps none.
func (ch Channel) ArchiveFrom(now time.Time) time.Time {
	if ch.DVRDays <= 0 {
		return time.Time{}
	}
	return now.Add(-time.Duration(ch.DVRDays) * 24 * time.Hour)
}

// InArchive reports whether a programme from start to stop can be played
// back on ch at now: it has ended and began within the channel's DVR depth.
// XC's has_archive and the portal's guide links both ask this.
func (ch Channel) InArchive(start, stop, now time.Time) bool {
	return ch.DVRDays > 0 && !start.Before(ch.ArchiveFrom(now)) && stop.Before(now)
}

// Archive returns the URL of ch's archive window of seconds from from, as
// ext ("m3u8" or "ts"): Flussonic's archive-FROM-DURATION (flussonic.md §4),
// which XC timeshift redirects to and the portal's catch-up plays.
func (l Links) Archive(ch Channel, from time.Time, seconds int, ext, token string) string {
	return l.Stream(ch, fmt.Sprintf("archive-%d-%d.%s", from.Unix(), seconds, ext), token)
}
