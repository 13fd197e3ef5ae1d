package ratelimit

import (
	"testing"
	"time"
)

func TestSignInsStopTheAddressAndSlowTheLogin(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s := NewSignIns(SignInOptions{PerPair: 2, PerAddress: 5, SlowStep: time.Second, MaxSlow: 3 * time.Second,
		Now: func() time.Time { return now }})
	s.Fail("Alice", "a")
	s.Fail("alice", "a")
	if ok, _ := s.Check("alice", "a"); ok {
		t.Error("pair after 2 failures: allowed; want stopped")
	}
	if ok, _ := s.Check("alice", "b"); !ok {
		t.Error("same login from another address: stopped; want allowed")
	}
	if ok, _ := s.Check("bob", "a"); !ok {
		t.Error("another login from the same address: stopped; want allowed under the address budget")
	}
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{{2, time.Second}, {4, 2 * time.Second}, {100, 3 * time.Second}} {
		for n := s.byLogin.Count("alice"); n < tc.failures; n++ {
			s.Fail("alice", "x"+string(rune('a'+n%26)))
		}
		if got := s.Delay("ALICE"); got != tc.want {
			t.Errorf("delay after %d failures: got %v, want %v", tc.failures, got, tc.want)
		}
	}
	s.Succeed("alice", "a")
	if ok, _ := s.Check("alice", "a"); !ok {
		t.Error("pair after a success: stopped; want its failures forgotten")
	}
	if s.Delay("alice") == 0 {
		t.Error("the owner's success ended the slowdown an attack from elsewhere earned")
	}
	for range 5 {
		s.Fail("someone", "c")
	}
	if ok, _ := s.Check("other", "c"); ok {
		t.Error("address after 5 failures in all: allowed; want stopped")
	}
	now = now.Add(16 * time.Minute)
	if ok, _ := s.Check("other", "c"); !ok || s.Delay("alice") != 0 {
		t.Error("after the window: still limited or slowed")
	}
}
