package credential

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// countWork returns a Hasher that records its work.
func countWork(slots int) (*Hasher, *[]Work, *sync.Mutex) {
	var mu sync.Mutex
	var work []Work
	h := NewHasher(HasherOptions{Slots: slots, OnWork: func(w Work) { mu.Lock(); work = append(work, w); mu.Unlock() }})
	return h, &work, &mu
}

// TestHasherFailuresCostTheSame: whatever the account, a failed check makes
// exactly one argon2id run with today's parameters, so the work (and so the
// time) does not tell an unknown login from a known one, nor a cheap
// imported hash from a current one. Counting the runs cannot flake.
func TestHasherFailuresCostTheSame(t *testing.T) {
	current, err := HashPassword("right")
	if err != nil {
		t.Fatal(err)
	}
	imported, _ := importHash("right")
	const sha512 = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"
	for _, tc := range []struct{ name, hash string }{
		{"unknown login", ""},
		{"current hash", current},
		{"imported argon2id", imported},
		{"SHA-512 crypt", sha512},
		{"malformed hash", "$argon2id$v=19$m=1024,t=1,p=1$!!$!!"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, work, _ := countWork(1)
			up, err := h.Verify(context.Background(), tc.hash, "wrong")
			if err == nil || up != "" {
				t.Fatalf("wrong password: got %q, %v; want an error", up, err)
			}
			full := 0
			for _, w := range *work {
				if w == WorkFull {
					full++
				}
			}
			if full != 1 {
				t.Errorf("work of a wrong password: %v; want exactly one full argon2id run", *work)
			}
		})
	}
}

// TestHasherUpgradesOldHashes: the right password of an imported hash
// returns a hash with today's parameters; a current hash returns none.
func TestHasherUpgradesOldHashes(t *testing.T) {
	h := NewHasher(HasherOptions{})
	imported, _ := importHash("right")
	const sha512 = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"
	for hash, password := range map[string]string{imported: "right", sha512: "Hello world!"} {
		up, err := h.Verify(context.Background(), hash, password)
		if err != nil || NeedsRehash(up) || VerifyPassword(up, password) != nil {
			t.Errorf("Verify(%.20s…): got %q, %v; want today's hash of the same password", hash, up, err)
		}
		if up, err := h.Verify(context.Background(), up, password); err != nil || up != "" {
			t.Errorf("Verify(upgraded): got %q, %v; want no further upgrade", up, err)
		}
	}
}

// TestHasherIsBounded holds every slot and expects the next check to give
// up with ErrBusy after the wait, not to hash alongside.
func TestHasherIsBounded(t *testing.T) {
	hold, held := make(chan struct{}), make(chan struct{}, 2)
	h := NewHasher(HasherOptions{Slots: 2, Wait: 20 * time.Millisecond,
		OnWork: func(Work) { held <- struct{}{}; <-hold }})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { _, _ = h.Verify(context.Background(), "", "x") })
	}
	<-held
	<-held
	start := time.Now()
	_, err := h.Verify(context.Background(), "", "x")
	if !errors.Is(err, ErrBusy) {
		t.Errorf("third check while two hash: got %v, want ErrBusy", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("busy answer took %v; want about the 20ms wait", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Verify(ctx, "", "x"); !errors.Is(err, context.Canceled) && !errors.Is(err, ErrBusy) {
		t.Errorf("cancelled check: got %v, want context.Canceled", err)
	}
	// A new password waits longer (WriteWait, 20ms here too), but shares
	// the same slots: it does not hash alongside either.
	h.writeWait = 20 * time.Millisecond
	if _, err := h.Hash(context.Background(), "new-password"); !errors.Is(err, ErrBusy) {
		t.Errorf("new password while two hash: got %v, want ErrBusy", err)
	}
	close(hold)
	wg.Wait()
	h.onWork = nil
	if _, err := h.Verify(context.Background(), "", "x"); !errors.Is(err, ErrMismatch) {
		t.Errorf("after the slots freed: got %v, want ErrMismatch", err)
	}
	if hash, err := h.Hash(context.Background(), "new-password"); err != nil || VerifyPassword(hash, "new-password") != nil {
		t.Errorf("new password after the slots freed: got %q, %v", hash, err)
	}
}

// TestVerifyRefusesCostlyHashes: a stored hash cannot make one sign-in
// spend gigabytes or minutes.
func TestVerifyRefusesCostlyHashes(t *testing.T) {
	salt, key := "c2FsdHNhbHRzYWx0c2FsdA", "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	for _, hash := range []string{
		fmt.Sprintf("$argon2id$v=19$m=%d,t=1,p=1$%s$%s", 4<<20, salt, key),
		fmt.Sprintf("$argon2id$v=19$m=1024,t=1000,p=1$%s$%s", salt, key),
		fmt.Sprintf("$argon2id$v=19$m=1024,t=1,p=200$%s$%s", salt, key),
		"$6$rounds=999999999$salt$hash",
	} {
		start := time.Now()
		if err := VerifyPassword(hash, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("VerifyPassword(%q): got %v, want a refusal of its cost", hash, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("VerifyPassword(%q) took %v", hash, d)
		}
	}
}
