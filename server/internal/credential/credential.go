// Package credential hashes passwords with argon2id and makes the random
// secrets Canale hands out: API tokens, playback tokens and generated
// passwords. Keeping them in one place keeps their parameters consistent.
package credential

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's 2023 minimum (19 MiB, 2 passes, 1 lane). They
// keep a login under ~30 ms on a small machine while making offline guessing
// expensive.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	saltLen        = 16
)

// Bounds on the parameters of a stored argon2id hash, which may come from
// an import: one hash with m=4 GiB would otherwise make every sign-in of its
// account allocate 4 GiB. RFC 9106's costlier recommendation (64 MiB, 3
// passes, 4 lanes) fits.
const (
	maxArgonMemoryKiB = 64 * 1024
	maxArgonTime      = 16
	maxArgonThreads   = 16
)

// ErrMismatch is returned by VerifyPassword when the password is wrong.
var ErrMismatch = errors.New("password mismatch")

// HashPassword returns a PHC-formatted argon2id hash of password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read random salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		argonMemoryKiB, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword checks password against a hash made by HashPassword, in
// constant time. It returns ErrMismatch for a wrong password and another
// error for a malformed hash. It also accepts the SHA-512 crypt(3) hashes
// ("$6$...") that Xtream Codes panels keep for resellers, which
// `canale import xc` stores verbatim; see NeedsRehash.
func VerifyPassword(hash, password string) error {
	if IsSHA512Crypt(hash) {
		return verifySHA512Crypt(hash, password)
	}
	var version, mem, iters int
	var threads uint8
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("unsupported password hash")
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil {
		return fmt.Errorf("parse hash version: %w", err)
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return fmt.Errorf("parse hash parameters: %w", err)
	}
	if mem < 1 || mem > maxArgonMemoryKiB || iters < 1 || iters > maxArgonTime || threads < 1 || threads > maxArgonThreads {
		return fmt.Errorf("hash parameters m=%d,t=%d,p=%d are outside what a sign-in may spend", mem, iters, threads)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("decode salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return fmt.Errorf("decode key: %w", err)
	}
	if len(want) < 16 || len(want) > 64 {
		return fmt.Errorf("hash key of %d bytes; want 16 to 64", len(want))
	}
	got := argon2.IDKey([]byte(password), salt, uint32(iters), uint32(mem), threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// dummyHash is verified against when a check must fail at full cost (an
// unknown account, a wrong password of a cheaper hash), so that it cannot be
// told apart from a wrong password of a current hash; see Hasher.
var dummyHash, _ = HashPassword("canale-dummy-password")

// NewToken returns a URL-safe random token with 256 bits of entropy.
func NewToken() string {
	return randomString(32)
}

// NewPlaybackToken returns a 128-bit random token in lowercase hex, which
// survives every player's URL handling (no case or punctuation games).
func NewPlaybackToken() string {
	b := make([]byte, 16)
	mustRead(b)
	return fmt.Sprintf("%x", b)
}

// HashToken returns the SHA-256 of a token, which is what the database keeps.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// passwordAlphabet leaves out look-alikes (0/O, 1/l/I) so a password read off
// a terminal is typed right the first time.
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewPassword returns a random password of n characters (about 5.8 bits each;
// 22 characters give over 128 bits).
func NewPassword(n int) string {
	b := make([]byte, n)
	mustRead(b)
	out := make([]byte, n)
	for i, v := range b {
		// 256 is not a multiple of the alphabet size; reject-free modulo bias
		// here is below 1% per character, negligible for 22 characters.
		out[i] = passwordAlphabet[int(v)%len(passwordAlphabet)]
	}
	return string(out)
}

func randomString(n int) string {
	b := make([]byte, n)
	mustRead(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// mustRead panics only if the kernel's random source fails, which Go's
// crypto/rand documents as unrecoverable.
func mustRead(b []byte) {
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
}
