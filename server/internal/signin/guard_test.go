package signin_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/ratelimit"
	"canale/server/internal/signin"
	"canale/shared/api"
)

type fixture struct {
	guard *signin.Guard
	acct  signin.Account
	full  *int // full argon2id runs
	slept *[]time.Duration
	now   *time.Time // the limits' clock, moved on by each sleep
}

func setup(t *testing.T) fixture {
	t.Helper()
	hash, err := credential.HashPassword("right")
	if err != nil {
		t.Fatal(err)
	}
	full, slept := new(int), new([]time.Duration)
	h := credential.NewHasher(credential.HasherOptions{Slots: 1, OnWork: func(w credential.Work) {
		if w == credential.WorkFull {
			*full++
		}
	}})
	// A slowed sign-in's sleep moves the clock on, as a real one would.
	now := new(time.Time)
	*now = time.Unix(1_700_000_000, 0)
	g := signin.New(signin.Options{Hasher: h, Limits: ratelimit.SignInOptions{PerPair: 3, Now: func() time.Time { return *now }},
		Sleep: func(_ context.Context, d time.Duration) error {
			*slept = append(*slept, d)
			*now = now.Add(d)
			return nil
		}})
	return fixture{guard: g, acct: signin.Account{Found: true, Hash: hash}, full: full, slept: slept, now: now}
}

func (f fixture) check(login, password, address string) error {
	_, err := f.guard.Check(context.Background(), signin.Attempt{Login: login, Password: password, Address: address}, f.acct)
	return err
}

// TestRememberedPasswordComesFirstOnlyWhereItWasUsed: the owner's address
// gets in past its own limit without hashing; a guesser elsewhere cannot use
// the remembered password as a fast oracle past the limit.
func TestRememberedPasswordComesFirstOnlyWhereItWasUsed(t *testing.T) {
	f := setup(t)
	if err := f.check("Alice", "right", "home"); err != nil {
		t.Fatalf("first sign-in: %v", err)
	}
	for range 3 {
		_ = f.check("alice", "wrong", "home")
		_ = f.check("alice", "wrong", "elsewhere")
	}
	runs := *f.full
	*f.slept = nil
	if err := f.check("alice", "right", "home"); err != nil {
		t.Errorf("remembered password at home past the limit: %v", err)
	}
	if *f.full != runs || len(*f.slept) != 0 {
		t.Errorf("remembered sign-in hashed %d times and slept %v; want neither", *f.full-runs, *f.slept)
	}
	err := f.check("alice", "right", "elsewhere")
	if api.ErrorCode(err) != api.CodeRateLimited {
		t.Errorf("right password from the guessing address: %v; want rate limited", err)
	}
	if s, ok := signin.RetryAfter(err); !ok || s < 1 {
		t.Errorf("Retry-After of a limit: %d, %v", s, ok)
	}
	if err := f.check("alice", "right", "new place"); err != nil {
		t.Errorf("owner from a new address: %v; want signed in", err)
	}
	if want := []time.Duration{2 * time.Second}; len(*f.slept) != 1 || (*f.slept)[0] != want[0] {
		t.Errorf("owner from a new address slept %v; want %v for a login with 6 failures", *f.slept, want)
	}
}

// TestPasswordChangeEndsTheMemory: the remembered password is tied to the
// hash it was checked against.
func TestPasswordChangeEndsTheMemory(t *testing.T) {
	f := setup(t)
	if err := f.check("alice", "right", "home"); err != nil {
		t.Fatal(err)
	}
	f.acct.Hash, _ = credential.HashPassword("new")
	if err := f.check("alice", "right", "home"); !errors.Is(err, signin.ErrBadCredentials) {
		t.Errorf("old password after a change: %v; want ErrBadCredentials", err)
	}
}

// TestBusyAsksForARetry: a check that finds every hashing slot taken is
// refused at once with CodeUnavailable and a Retry-After, and is not
// counted as a failure.
func TestBusyAsksForARetry(t *testing.T) {
	hold, held := make(chan struct{}), make(chan struct{})
	h := credential.NewHasher(credential.HasherOptions{Slots: 1, Wait: time.Millisecond,
		OnWork: func(credential.Work) { held <- struct{}{}; <-hold }})
	g := signin.New(signin.Options{Hasher: h, Limits: ratelimit.SignInOptions{PerPair: 1}})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = g.Check(context.Background(), signin.Attempt{Login: "a", Password: "x", Address: "one"}, signin.Account{})
	}()
	<-held
	for range 3 {
		_, err := g.Check(context.Background(), signin.Attempt{Login: "b", Password: "x", Address: "two"}, signin.Account{})
		if _, ok := signin.RetryAfter(err); api.ErrorCode(err) != api.CodeUnavailable || !ok {
			t.Errorf("check while hashing is full: %v; want unavailable with a Retry-After", err)
		}
	}
	close(hold)
	<-done
}

// TestGuessesFromEverywhereTakeTurns: once a login is slowed, guesses from
// many addresses at the same moment do not each get a check; they wait for
// the login's next turn (and are not counted: nothing was tried).
func TestGuessesFromEverywhereTakeTurns(t *testing.T) {
	f := setup(t)
	for i := range 3 {
		_ = f.check("alice", "wrong", fmt.Sprintf("192.0.2.%d", i))
	}
	runs, mark := *f.full, *f.now
	limited := 0
	for i := range 50 {
		// The fixture's sleep moves the clock for every guess; these all
		// come in the same second, so give the time back.
		_, err := f.guard.Check(context.Background(), signin.Attempt{Login: "alice", Password: "guess", Address: fmt.Sprintf("198.51.100.%d", i)}, f.acct)
		if api.ErrorCode(err) == api.CodeRateLimited {
			limited++
		}
		*f.now = mark
	}
	if got := *f.full - runs; got > 1 || limited < 49 {
		t.Errorf("50 addresses at once on a slowed login: %d checks ran, %d told to wait; want 1 and 49", got, limited)
	}
}

// TestForgetDropsOneLoginOnly: forgetting a changed account drops its
// remembered passwords and nobody else's, and the bound on remembered
// passwords counts every login's.
func TestForgetDropsOneLoginOnly(t *testing.T) {
	hash, err := credential.HashPassword("right")
	if err != nil {
		t.Fatal(err)
	}
	full := 0
	h := credential.NewHasher(credential.HasherOptions{OnWork: func(w credential.Work) {
		if w == credential.WorkFull {
			full++
		}
	}})
	g := signin.New(signin.Options{Hasher: h, MaxRemembered: 2})
	hashed := func(login string) bool {
		t.Helper()
		before := full
		if _, err := g.Check(context.Background(), signin.Attempt{Login: login, Password: "right", Address: "home"},
			signin.Account{Found: true, Hash: hash}); err != nil {
			t.Fatalf("%s: %v", login, err)
		}
		return full > before
	}
	hashed("alice")
	hashed("bob")
	if hashed("alice") || hashed("bob") {
		t.Fatal("a remembered password was hashed again")
	}
	g.Forget("ALICE")
	if !hashed("alice") {
		t.Error("alice after Forget: remembered; want checked again")
	}
	if hashed("bob") {
		t.Error("bob after alice was forgotten: checked again; want still remembered")
	}
	// Full (alice, bob): a third login starts the memory over.
	hashed("carol")
	if !hashed("bob") {
		t.Error("bob after the memory was full: remembered; want it started over")
	}
}
