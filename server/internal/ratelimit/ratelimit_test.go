package ratelimit

import (
	"strconv"
	"testing"
	"time"
)

func TestFailures(t *testing.T) {
	now := time.Unix(1000, 0)
	f := &Failures{Max: 3, Window: time.Minute, Now: func() time.Time { return now }}
	for i := 0; i < 3; i++ {
		if ok, _ := f.Check("a"); !ok {
			t.Fatalf("attempt %d refused, want allowed", i)
		}
		f.Fail("a")
	}
	ok, wait := f.Check("a")
	if ok || wait != time.Minute {
		t.Errorf("after 3 failures: got ok=%v wait=%v, want refused for 1m", ok, wait)
	}
	if ok, _ := f.Check("b"); !ok {
		t.Error("another key refused")
	}
	now = now.Add(time.Minute)
	if ok, _ := f.Check("a"); !ok {
		t.Error("after the window: refused, want allowed")
	}
	f.Fail("a")
	f.Reset("a")
	if ok, _ := f.Check("a"); !ok {
		t.Error("after reset: refused")
	}
}

// TestFailuresBoundKeys: a flood of distinct keys inside one window (none
// expired, so the sweep frees nothing) keeps at most MaxKeys, dropping the
// oldest, and still counts the newest.
func TestFailuresBoundKeys(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	f := &Failures{Max: 1, Window: time.Hour, MaxKeys: 10, Now: func() time.Time { return now }}
	for i := range 25 {
		now = now.Add(time.Second)
		f.Fail("k" + strconv.Itoa(i))
	}
	if len(f.entries) != 10 {
		t.Errorf("kept %d keys; want MaxKeys (10)", len(f.entries))
	}
	if f.Count("k0") != 0 {
		t.Error("the oldest key survived a full table")
	}
	if f.Count("k24") != 1 || f.Count("k15") != 1 {
		t.Error("the newest keys were dropped; want the oldest dropped first")
	}
	f.Reset("k20")
	now = now.Add(time.Second)
	f.Fail("k15") // a counted key counts again and keeps its place
	f.Fail("new")
	if len(f.entries) != 10 || f.Count("k16") != 1 || f.Count("k15") != 2 || f.Count("new") != 1 {
		t.Errorf("after a reset freed a place: %d keys, k16 %d, k15 %d, new %d; want 10, 1, 2, 1",
			len(f.entries), f.Count("k16"), f.Count("k15"), f.Count("new"))
	}
}
