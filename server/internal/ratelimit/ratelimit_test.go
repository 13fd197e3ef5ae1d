package ratelimit

import (
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
