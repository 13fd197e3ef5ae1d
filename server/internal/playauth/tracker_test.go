package playauth

import (
	"strconv"
	"testing"
	"time"

	"canale/server/internal/store"
)

// TestTrackerPersistsOncePerInterval checks the write throttle: checks of a
// known session reach the database at most once per interval, the row never
// comes closer than ttl minus the interval to expiring while checks go on,
// and the state of the last unpersisted check is handed back when the
// session expires.
func TestTrackerPersistsOncePerInterval(t *testing.T) {
	const every, ttl = 30 * time.Second, 90 * time.Second
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := newTracker()
	tr.add(store.PlaySessionWrite{SessionID: "s1", SubscriberID: 7, OpenedAt: t0, UpdatedAt: t0, ExpiresAt: t0.Add(ttl)})

	dbExpires := t0.Add(ttl)
	var writes int
	for i := 1; i <= 20; i++ {
		now := t0.Add(time.Duration(i) * 7 * time.Second)
		w, persist, ok := tr.touch(7, "s1", now, ttl, every, int64(i*100))
		if !ok {
			t.Fatalf("check %d: session unknown", i)
		}
		if persist {
			writes++
			dbExpires = w.ExpiresAt
		}
		if left := dbExpires.Sub(now); left < ttl-every {
			t.Fatalf("check %d at +%v: the database row expires in %v, want >= %v", i, now.Sub(t0), left, ttl-every)
		}
	}
	// 140 s of checks every 7 s: four writes, the first brought forward by
	// the session's phase (to +7 s at the soonest), then one per interval.
	if writes != 4 {
		t.Errorf("writes: got %d, want 4 (one per %v)", writes, every)
	}
	if _, persist, _ := tr.touch(7, "s1", t0.Add(141*time.Second), ttl, every, 2100); persist {
		t.Errorf("a check one second after a write was persisted")
	}

	if last := tr.prune(t0.Add(200 * time.Second)); len(last) != 0 {
		t.Fatalf("prune before expiry returned %d states", len(last))
	}
	last := tr.prune(t0.Add(141*time.Second + ttl))
	if len(last) != 1 || last[0].Bytes != 2100 || !last[0].UpdatedAt.Equal(t0.Add(141*time.Second)) {
		t.Fatalf("prune at expiry: got %+v, want the unpersisted check at +141 s with 2100 bytes", last)
	}
	if _, _, ok := tr.touch(7, "s1", t0.Add(300*time.Second), ttl, every, 0); ok {
		t.Errorf("an expired session was still known after prune")
	}
}

// TestTrackerPruneSkipsPersistedState: a session whose last check was
// written needs no final write.
func TestTrackerPruneSkipsPersistedState(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := newTracker()
	tr.add(store.PlaySessionWrite{SessionID: "s2", SubscriberID: 8, OpenedAt: t0, UpdatedAt: t0, ExpiresAt: t0.Add(time.Minute)})
	if last := tr.prune(t0.Add(2 * time.Minute)); len(last) != 0 {
		t.Fatalf("got %d final states for a session whose only state was written", len(last))
	}
}

// TestTrackerSpreadsWritesOfSessionsOpenedTogether opens 3,000 sessions in
// the same instant (a match kicks off) and checks each every second: their
// writes must spread over the interval, not all come due in one flush
// every interval for as long as the match lasts.
func TestTrackerSpreadsWritesOfSessionsOpenedTogether(t *testing.T) {
	const n, every, ttl = 3000, 30 * time.Second, 90 * time.Second
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := newTracker()
	for i := range n {
		tr.add(store.PlaySessionWrite{SessionID: "kickoff-" + strconv.Itoa(i), SubscriberID: int64(i), OpenedAt: t0, UpdatedAt: t0, ExpiresAt: t0.Add(ttl)})
	}
	perSecond := map[int]int{}
	for s := 1; s <= 120; s++ {
		now := t0.Add(time.Duration(s) * time.Second)
		for i := range n {
			if _, persist, ok := tr.touch(int64(i), "kickoff-"+strconv.Itoa(i), now, ttl, every, 0); !ok {
				t.Fatalf("session %d unknown at +%ds", i, s)
			} else if persist {
				perSecond[s]++
			}
		}
	}
	// Four minutes of an even spread is 100 a second; all at once is 3,000.
	for s, k := range perSecond {
		if k > 300 {
			t.Errorf("%d of %d sessions opened together were written in the same second (+%ds)", k, n, s)
		}
	}
	total := 0
	for _, k := range perSecond {
		total += k
	}
	if total < 3*n || total > 4*n {
		t.Errorf("%d writes of %d sessions in 120 s of checks every second, want 3 or 4 each (one per %v)", total, n, every)
	}
}
