package subscriberview_test

import (
	"context"
	"errors"
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

func TestAuthenticatorRateLimitsFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	look := &countingLookup{}
	look.sub.Store(&subscriberview.Subscriber{ID: 1, Login: "alice", PasswordHash: hash(t, "pw1")})
	a := subscriberview.NewAuthenticator(look, subscriberview.AuthOptions{MaxFailures: 2})
	for range 2 {
		if _, err := a.Authenticate(ctx, "alice", "bad", "ip1"); !errors.Is(err, subscriberview.ErrBadCredentials) {
			t.Fatalf("failure: err = %v", err)
		}
	}
	_, err := a.Authenticate(ctx, "alice", "pw1", "ip2")
	if api.ErrorCode(err) != api.CodeRateLimited {
		t.Errorf("third try (right password, other IP): err = %v, want rate limited per login", err)
	}
	if _, err := a.Authenticate(ctx, "bob", "x", "ip3"); !errors.Is(err, subscriberview.ErrBadCredentials) {
		t.Errorf("other login: err = %v, want plain failure", err)
	}
}
