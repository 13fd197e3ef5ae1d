package ratelimit

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
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
		for n := s.byLogin.Count(loginKey("alice")); n < tc.failures; n++ {
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

// TestSignInsKeysHaveAFixedSize: a login is counted under a hash, so a
// 60 KB login costs no more memory than a short one.
func TestSignInsKeysHaveAFixedSize(t *testing.T) {
	s := NewSignIns(SignInOptions{})
	long := strings.Repeat("x", 60<<10)
	s.Fail(long, "192.0.2.1")
	s.Fail(long, "2001:db8::1")
	if ok, _ := s.Check(strings.ToUpper(long), "192.0.2.1"); !ok {
		t.Fatal("one failure stopped the pair")
	}
	for name, f := range map[string]*Failures{"address": s.byAddress, "pair": s.byPair, "login": s.byLogin} {
		if len(f.entries) == 0 {
			t.Errorf("%s: nothing counted", name)
		}
		for k := range f.entries {
			if len(k) > sha256.Size {
				t.Errorf("%s counter keeps a %d-byte key; want at most %d", name, len(k), sha256.Size)
			}
		}
	}
	if got := s.byLogin.Count(loginKey(strings.ToUpper(long))); got != 2 {
		t.Errorf("login count: got %d, want 2 (logins are compared without case)", got)
	}
}

// TestSignInsCountIPv6PerPrefix: an IPv6 host holds its whole /64, so
// changing the interface identifier must not buy a fresh budget.
func TestSignInsCountIPv6PerPrefix(t *testing.T) {
	s := NewSignIns(SignInOptions{PerPair: 2, PerAddress: 4})
	for i := range 4 {
		s.Fail("user"+strconv.Itoa(i), "2001:db8:0:1::"+strconv.Itoa(i+1))
	}
	if ok, _ := s.Check("fresh", "2001:db8:0:1:ffff::9"); ok {
		t.Error("another address of the same /64 after 4 failures: allowed; want stopped")
	}
	if ok, _ := s.Check("fresh", "2001:db8:0:2::1"); !ok {
		t.Error("an address of another /64: stopped; want allowed")
	}
	s.Fail("alice", "2001:db8:0:3::1")
	s.Fail("alice", "2001:db8:0:3::2")
	if ok, _ := s.Check("alice", "2001:db8:0:3::3"); ok {
		t.Error("the pair from another address of the same /64: allowed; want stopped")
	}
	for i := range 4 {
		s.Fail("v4user"+strconv.Itoa(i), "192.0.2."+strconv.Itoa(i+1))
	}
	if ok, _ := s.Check("fresh", "192.0.2.100"); !ok {
		t.Error("IPv4 addresses are counted one by one; a neighbour was stopped")
	}
	if ok, _ := s.Check("fresh", "::ffff:192.0.2.100"); !ok {
		t.Error("an IPv4-mapped address was counted as an IPv6 /64")
	}
}

// TestSignInsTurnSlowsALoginGuessedFromEverywhere: many addresses guessing
// at one login at once get one check per SlowStep between them, not one
// each; a login nobody attacks is never held back.
func TestSignInsTurnSlowsALoginGuessedFromEverywhere(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s := NewSignIns(SignInOptions{PerPair: 3, Now: func() time.Time { return now }})
	for range 5 {
		if ok, _ := s.Turn("bob"); !ok {
			t.Fatal("a login without failures was held back")
		}
	}
	for i := range 3 {
		s.Fail("alice", fmt.Sprintf("192.0.2.%d", i))
	}
	if ok, _ := s.Turn("ALICE"); !ok {
		t.Fatal("first check of a slowed login: refused; want its turn")
	}
	granted := 0
	for range 100 { // a hundred addresses at the same instant
		if ok, wait := s.Turn("alice"); ok {
			granted++
		} else if wait <= 0 || wait > time.Second {
			t.Fatalf("refused turn says come back in %v; want within the 1s step", wait)
		}
	}
	if granted != 0 {
		t.Errorf("%d more checks of a slowed login in the same second; want none", granted)
	}
	now = now.Add(time.Second)
	if ok, _ := s.Turn("alice"); !ok {
		t.Error("a step later: refused; want the next turn")
	}
	if ok, _ := s.Turn("bob"); !ok {
		t.Error("another login: held back by alice's attack")
	}
}
