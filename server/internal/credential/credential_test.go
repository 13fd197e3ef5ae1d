package credential

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyPassword(h, "correct horse"); err != nil {
		t.Errorf("verify right password: got %v, want nil", err)
	}
	if err := VerifyPassword(h, "wrong"); !errors.Is(err, ErrMismatch) {
		t.Errorf("verify wrong password: got %v, want ErrMismatch", err)
	}
	h2, _ := HashPassword("correct horse")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2id$v=19$m=1,t=1,p=1$!!$!!", "$bcrypt$x$y$z$w"} {
		if err := VerifyPassword(h, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("VerifyPassword(%q): got %v, want a format error", h, err)
		}
	}
}

func TestTokensAreLongAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		tok := NewToken()
		if len(tok) < 43 {
			t.Fatalf("token %q: got %d chars, want >= 43 (256 bits)", tok, len(tok))
		}
		if seen[tok] {
			t.Fatal("duplicate token")
		}
		seen[tok] = true
	}
	if p := NewPlaybackToken(); len(p) != 32 {
		t.Errorf("playback token length: got %d, want 32 hex chars (128 bits)", len(p))
	}
	if p := NewPassword(22); len(p) != 22 {
		t.Errorf("password length: got %d, want 22", len(p))
	}
}

func TestHashAllForImport(t *testing.T) {
	kept, err := HashPassword("already-hashed")
	if err != nil {
		t.Fatal(err)
	}
	in := []string{"first-password", kept, "third-password"}
	var calls atomic.Int64
	out, hashed, err := HashAllForImport(context.Background(), in, 2, func(int) { calls.Add(1) })
	if err != nil || hashed != 2 || calls.Load() != 3 {
		t.Fatalf("got %d hashed, %d progress calls, %v; want 2, 3, nil", hashed, calls.Load(), err)
	}
	if out[1] != kept {
		t.Errorf("an existing hash was not kept: %q", out[1])
	}
	for _, i := range []int{0, 2} {
		if err := VerifyPassword(out[i], in[i]); err != nil || !NeedsRehash(out[i]) {
			t.Errorf("entry %d: verify %v, needs rehash %v; want a verifiable import hash", i, err, NeedsRehash(out[i]))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := HashAllForImport(ctx, make([]string, 1000), 1, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled import: %v, want context.Canceled", err)
	}
}
