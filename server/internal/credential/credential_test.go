package credential

import (
	"errors"
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
