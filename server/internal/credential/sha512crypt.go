package credential

import (
	"crypto/sha512"
	"crypto/subtle"
	"errors"
	"strconv"
	"strings"
)

// SHA-512 crypt ("$6$", Ulrich Drepper's "Unix crypt using SHA-256 and
// SHA-512" specification, as implemented by glibc crypt(3)). Canale never
// makes these hashes; it only verifies them, because Xtream Codes panels store
// their panel users' (resellers') passwords this way and an imported reseller
// should sign in with the password they already have.
const (
	sha512CryptPrefix        = "$6$"
	sha512CryptRoundsPrefix  = "rounds="
	sha512CryptDefaultRounds = 5000
	sha512CryptMinRounds     = 1000
	sha512CryptMaxRounds     = 999_999_999
	sha512CryptMaxSalt       = 16
	// sha512CryptMaxCost bounds the rounds Canale will spend on one check
	// (about a second); Xtream Codes panels use 5,000 to 20,000, and a
	// hash asking for the specification's billion would hold a core for
	// minutes at every sign-in.
	sha512CryptMaxCost = 1_000_000
)

// IsSHA512Crypt reports whether hash is a "$6$" crypt(3) hash, which
// VerifyPassword accepts but which a sign-in should replace with an argon2id
// hash once the password is known to be right (see NeedsRehash).
func IsSHA512Crypt(hash string) bool { return strings.HasPrefix(hash, sha512CryptPrefix) }

// verifySHA512Crypt checks password against a "$6$[rounds=N$]salt$hash"
// string in constant time.
func verifySHA512Crypt(hash, password string) error {
	got, err := sha512Crypt(password, hash)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(hash)) != 1 {
		return ErrMismatch
	}
	return nil
}

// sha512Crypt computes the crypt(3) string of password with the salt and
// rounds taken from setting ("$6$[rounds=N$]salt[$...]").
func sha512Crypt(password, setting string) (string, error) {
	rest, ok := strings.CutPrefix(setting, sha512CryptPrefix)
	if !ok {
		return "", errors.New("not a SHA-512 crypt hash")
	}
	rounds, custom := sha512CryptDefaultRounds, false
	if r, ok := strings.CutPrefix(rest, sha512CryptRoundsPrefix); ok {
		num, after, found := strings.Cut(r, "$")
		n, err := strconv.ParseUint(num, 10, 64)
		if !found || err != nil {
			return "", errors.New("malformed SHA-512 crypt rounds")
		}
		if n > sha512CryptMaxCost {
			return "", errors.New("SHA-512 crypt rounds above what a sign-in may spend")
		}
		rounds, custom, rest = int(min(max(n, sha512CryptMinRounds), sha512CryptMaxRounds)), true, after
	}
	salt, _, _ := strings.Cut(rest, "$")
	if len(salt) > sha512CryptMaxSalt {
		salt = salt[:sha512CryptMaxSalt]
	}
	sum := sha512CryptSum([]byte(password), []byte(salt), rounds)

	var b strings.Builder
	b.WriteString(sha512CryptPrefix)
	if custom {
		b.WriteString(sha512CryptRoundsPrefix + strconv.Itoa(rounds) + "$")
	}
	b.WriteString(salt)
	b.WriteByte('$')
	b.WriteString(cryptBase64(sum))
	return b.String(), nil
}

// sha512CryptSum is steps 1-21 of the specification.
func sha512CryptSum(p, s []byte, rounds int) []byte {
	// B = SHA512(P S P)
	h := sha512.New()
	h.Write(p)
	h.Write(s)
	h.Write(p)
	b := h.Sum(nil)

	// A = SHA512(P S B-repeated-to-len(P) then, per bit of len(P), B or P)
	h.Reset()
	h.Write(p)
	h.Write(s)
	h.Write(repeatTo(b, len(p)))
	for n := len(p); n > 0; n >>= 1 {
		if n&1 != 0 {
			h.Write(b)
		} else {
			h.Write(p)
		}
	}
	a := h.Sum(nil)

	// DP = SHA512(P len(P) times); P' is DP repeated to len(P).
	h.Reset()
	for range len(p) {
		h.Write(p)
	}
	pp := repeatTo(h.Sum(nil), len(p))

	// DS = SHA512(S 16+A[0] times); S' is DS repeated to len(S).
	h.Reset()
	for range 16 + int(a[0]) {
		h.Write(s)
	}
	sp := repeatTo(h.Sum(nil), len(s))

	c := a
	for i := range rounds {
		h.Reset()
		if i%2 != 0 {
			h.Write(pp)
		} else {
			h.Write(c)
		}
		if i%3 != 0 {
			h.Write(sp)
		}
		if i%7 != 0 {
			h.Write(pp)
		}
		if i%2 != 0 {
			h.Write(c)
		} else {
			h.Write(pp)
		}
		c = h.Sum(c[:0])
	}
	return c
}

func repeatTo(block []byte, n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		out = append(out, block[:min(len(block), n-len(out))]...)
	}
	return out
}

// sha512CryptOrder is the byte permutation of the final encoding.
var sha512CryptOrder = [...][3]int{
	{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4}, {47, 5, 26}, {6, 27, 48},
	{28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54}, {34, 55, 13},
	{56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19}, {62, 20, 41},
}

const cryptAlphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// cryptBase64 is crypt's own base64: a different alphabet, least significant
// six bits first, over bytes taken in sha512CryptOrder.
func cryptBase64(sum []byte) string {
	var b strings.Builder
	put := func(w uint32, n int) {
		for range n {
			b.WriteByte(cryptAlphabet[w&0x3f])
			w >>= 6
		}
	}
	for _, t := range sha512CryptOrder {
		put(uint32(sum[t[0]])<<16|uint32(sum[t[1]])<<8|uint32(sum[t[2]]), 4)
	}
	put(uint32(sum[63]), 2)
	return b.String()
}
