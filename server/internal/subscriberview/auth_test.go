package subscriberview_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/subscriberview"
	"canale/shared/api"
)

// countingLookup counts lookups and lets a test change the stored hash.
type countingLookup struct {
	sub   atomic.Pointer[subscriberview.Subscriber]
	calls atomic.Int64
}

func (c *countingLookup) SubscriberByLogin(_ context.Context, login string) (subscriberview.Subscriber, error) {
	c.calls.Add(1)
	s := c.sub.Load()
	if login != s.Login {
		return subscriberview.Subscriber{}, api.Errorf(api.CodeNotFound, "no")
	}
	return *s, nil
}

func hash(t *testing.T, pw string) string {
	t.Helper()
	h, err := credential.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestAuthenticatorCachesOnlyWhileTheHashHolds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	look := &countingLookup{}
	look.sub.Store(&subscriberview.Subscriber{ID: 1, Login: "alice", PasswordHash: hash(t, "pw1")})
	now := time.Unix(1_700_000_000, 0)
	a := subscriberview.NewAuthenticator(look, subscriberview.AuthOptions{Now: func() time.Time { return now }})

	if _, err := a.Authenticate(ctx, "alice", "pw1", "ip"); err != nil {
		t.Fatalf("first sign-in: %v", err)
	}
	if _, err := a.Authenticate(ctx, "alice", "pw1", "ip"); err != nil {
		t.Fatalf("cached sign-in: %v", err)
	}
	if _, err := a.Authenticate(ctx, "alice", "wrong", "ip"); !errors.Is(err, subscriberview.ErrBadCredentials) {
		t.Errorf("wrong password: err = %v, want ErrBadCredentials", err)
	}
	// A password change makes the old password fail at once.
	look.sub.Store(&subscriberview.Subscriber{ID: 1, Login: "alice", PasswordHash: hash(t, "pw2")})
	if _, err := a.Authenticate(ctx, "alice", "pw1", "ip"); !errors.Is(err, subscriberview.ErrBadCredentials) {
		t.Errorf("old password after change: err = %v, want ErrBadCredentials", err)
	}
	if _, err := a.Authenticate(ctx, "alice", "pw2", "ip"); err != nil {
		t.Errorf("new password: %v", err)
	}
	if _, err := a.Authenticate(ctx, "nobody", "pw2", "ip"); !errors.Is(err, subscriberview.ErrBadCredentials) {
		t.Errorf("unknown login: err = %v, want ErrBadCredentials", err)
	}
}

// TestAuthenticatorLimitsTheGuesserNotTheOwner: failures stop the address
// that made them (per login and in all), while the owner, from anywhere
// else, is only slowed.
func TestAuthenticatorLimitsTheGuesserNotTheOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	look := &countingLookup{}
	look.sub.Store(&subscriberview.Subscriber{ID: 1, Login: "alice", PasswordHash: hash(t, "pw1")})
	var slept []time.Duration
	a := subscriberview.NewAuthenticator(look, subscriberview.AuthOptions{MaxFailures: 2,
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }})
	for range 2 {
		if _, err := a.Authenticate(ctx, "alice", "bad", "ip1"); !errors.Is(err, subscriberview.ErrBadCredentials) {
			t.Fatalf("failure: err = %v", err)
		}
	}
	if _, err := a.Authenticate(ctx, "alice", "pw1", "ip1"); api.ErrorCode(err) != api.CodeRateLimited {
		t.Errorf("right password from the guessing address: err = %v, want rate limited", err)
	}
	if _, err := a.Authenticate(ctx, "alice", "pw1", "ip2"); err != nil {
		t.Errorf("right password from another address: err = %v, want signed in", err)
	}
	if len(slept) != 1 || slept[0] != time.Second {
		t.Errorf("slowed by %v; want one wait of 1s for a login with 2 failures", slept)
	}
	for i := range 10 {
		_, _ = a.Authenticate(ctx, fmt.Sprintf("user%d", i), "x", "ip3")
	}
	if _, err := a.Authenticate(ctx, "alice", "pw1", "ip3"); api.ErrorCode(err) != api.CodeRateLimited {
		t.Errorf("address after 10 failures on other logins: err = %v, want rate limited", err)
	}
	if _, err := a.Authenticate(ctx, "alice", "pw1", "ip2"); err != nil {
		t.Errorf("remembered password from its address: err = %v", err)
	}
}

// TestAuthenticatorRefusesLongLoginsUncounted: a login longer than any
// subscriber's (XC username, portal form) gets the one failure answer
// without a lookup, and is not counted: the address keeps its budget.
func TestAuthenticatorRefusesLongLoginsUncounted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	look := &countingLookup{}
	look.sub.Store(&subscriberview.Subscriber{ID: 1, Login: "alice", PasswordHash: hash(t, "pw1")})
	a := subscriberview.NewAuthenticator(look, subscriberview.AuthOptions{MaxFailures: 2})
	for i := range 10 {
		long := strings.Repeat(string(rune('a'+i)), 60<<10)
		if _, err := a.Authenticate(ctx, long, "x", "ip"); !errors.Is(err, subscriberview.ErrBadCredentials) {
			t.Fatalf("60 KB login: err = %v, want ErrBadCredentials", err)
		}
	}
	if n := look.calls.Load(); n != 0 {
		t.Errorf("long logins were looked up %d times; want none", n)
	}
	if _, err := a.Authenticate(ctx, strings.Repeat("b", api.MaxLoginLen), "x", "ip"); !errors.Is(err, subscriberview.ErrBadCredentials) {
		t.Errorf("login of the longest valid length: err = %v, want ErrBadCredentials", err)
	}
	if look.calls.Load() != 1 {
		t.Error("a login of the longest valid length was not looked up")
	}
	if _, err := a.Authenticate(ctx, "alice", "pw1", "ip"); err != nil {
		t.Errorf("right password after 10 long logins from this address: err = %v, want signed in", err)
	}
}

// BenchmarkXCSignInRemembered is the sign-in every XC request makes once
// the player's password is remembered: the hot path of player_api.php,
// get.php and /live.
func BenchmarkXCSignInRemembered(b *testing.B) {
	ctx := context.Background()
	look := &countingLookup{}
	h, err := credential.HashPassword("pw1")
	if err != nil {
		b.Fatal(err)
	}
	look.sub.Store(&subscriberview.Subscriber{ID: 1, Login: "alice", PasswordHash: h})
	a := subscriberview.NewAuthenticator(look, subscriberview.AuthOptions{})
	if _, err := a.Authenticate(ctx, "alice", "pw1", "192.0.2.1"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := a.Authenticate(ctx, "alice", "pw1", "192.0.2.1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
