package ratelimit

import (
	"crypto/sha256"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// SignInOptions tune SignIns; zero values take the defaults.
type SignInOptions struct {
	// PerPair is how many failures one address may make on one login in a
	// window; default 10.
	PerPair int
	// PerAddress is how many failures one address may make in all in a
	// window; default 5 × PerPair.
	PerAddress int
	// Window is the counting window; default 15 minutes.
	Window time.Duration
	// SlowStep is the wait added to every sign-in of a login for each
	// PerPair failures it had in the window from anywhere; default 1 s.
	SlowStep time.Duration
	// MaxSlow caps that wait; default 5 s.
	MaxSlow time.Duration
	// MaxKeys bounds the keys each counter keeps; see Failures.MaxKeys.
	MaxKeys int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// SignIns counts failed sign-ins so that guessing stops without locking the
// owner out. Limits that refuse are per address and per (login, address):
// they stop the guesser, wherever the owner signs in from. A login guessed
// at from many addresses is only slowed (Delay), never refused, so the
// owner still gets in.
//
// Counters are keyed by SHA-256 digests, never by what was typed: a login
// is any string up to the body limit, and an attacker's 60 KB logins must
// cost what short ones do. IPv6 addresses count per /64, which one host
// holds whole.
type SignIns struct {
	opts      SignInOptions
	byAddress *Failures
	byPair    *Failures
	byLogin   *Failures

	mu    sync.Mutex
	turns map[string]time.Time // login key → when its next full check may start, while it is slowed
}

// NewSignIns returns the counters with opts.
func NewSignIns(opts SignInOptions) *SignIns {
	if opts.PerPair <= 0 {
		opts.PerPair = 10
	}
	if opts.PerAddress <= 0 {
		opts.PerAddress = 5 * opts.PerPair
	}
	if opts.Window <= 0 {
		opts.Window = 15 * time.Minute
	}
	if opts.SlowStep <= 0 {
		opts.SlowStep = time.Second
	}
	if opts.MaxSlow <= 0 {
		opts.MaxSlow = 5 * time.Second
	}
	f := func(max int) *Failures {
		return &Failures{Max: max, Window: opts.Window, MaxKeys: opts.MaxKeys, Now: opts.Now}
	}
	return &SignIns{opts: opts, byAddress: f(opts.PerAddress), byPair: f(opts.PerPair), byLogin: f(0),
		turns: map[string]time.Time{}}
}

// Check reports whether address may try login now and, if not, how long it
// must wait.
func (s *SignIns) Check(login, address string) (ok bool, retryAfter time.Duration) {
	if ok, wait := s.byAddress.Check(addressKey(address)); !ok {
		return false, wait
	}
	return s.byPair.Check(pairKey(login, address))
}

// Delay is how long a sign-in of login waits before its password is
// checked: nothing until the login had PerPair failures in the window, then
// SlowStep more for each PerPair, up to MaxSlow.
func (s *SignIns) Delay(login string) time.Duration {
	n := s.byLogin.Count(loginKey(login)) / s.opts.PerPair
	return min(time.Duration(n)*s.opts.SlowStep, s.opts.MaxSlow)
}

// Turn reports whether a password check of login may run now. A login that
// is slowed (Delay is not zero: it failed PerPair times from anywhere) gets
// one check per SlowStep, whatever the number of addresses asking at once;
// the others are told when to come back. Delay alone only makes each guess
// wait, and a guesser with many addresses waits in parallel. The owner's
// remembered address never gets here (see signin.Guard), and a new address
// of the owner is slowed, not locked: it gets its turn within seconds.
func (s *SignIns) Turn(login string) (ok bool, retryAfter time.Duration) {
	if s.Delay(login) == 0 {
		return true, 0
	}
	key, now := loginKey(login), s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if next, held := s.turns[key]; held && now.Before(next) {
		return false, next.Sub(now)
	}
	if len(s.turns) >= s.maxKeys() {
		for k, next := range s.turns {
			if !now.Before(next) {
				delete(s.turns, k)
			}
		}
		if len(s.turns) >= s.maxKeys() {
			clear(s.turns) // a flood of slowed logins starts the turns over
		}
	}
	s.turns[key] = now.Add(s.opts.SlowStep)
	return true, 0
}

func (s *SignIns) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

func (s *SignIns) maxKeys() int {
	if s.opts.MaxKeys > 0 {
		return s.opts.MaxKeys
	}
	return defaultMaxKeys
}

// Fail records a failed sign-in of login from address.
func (s *SignIns) Fail(login, address string) {
	s.byAddress.Fail(addressKey(address))
	s.byPair.Fail(pairKey(login, address))
	s.byLogin.Fail(loginKey(login))
}

// Succeed forgets the failures of login from address. The login's count
// from elsewhere stays: the owner signing in does not stop an attack.
func (s *SignIns) Succeed(login, address string) {
	s.byPair.Reset(pairKey(login, address))
}

// loginKey is the per-login counters' key: a digest of the login without
// case.
func loginKey(login string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(login)))
	return string(sum[:])
}

// pairKey is the per-(login, address) counters' key. The address part is
// addressKey's, which has no NUL, so no two pairs share a digest input.
func pairKey(login, address string) string {
	sum := sha256.Sum256([]byte(addressKey(address) + "\x00" + strings.ToLower(login)))
	return string(sum[:])
}

// addressKey is the per-address counters' key: an IPv6 address stands for
// its /64, since a host is given the whole prefix and picks any address in
// it; an IPv4 (or IPv4-mapped) address stands for itself. Anything else
// (Gin reports a parsed IP, so only a caller's mistake) is digested, so no
// key grows with its input.
func addressKey(address string) string {
	ip, err := netip.ParseAddr(address)
	switch {
	case err != nil:
		sum := sha256.Sum256([]byte(address))
		return string(sum[:])
	case ip.Is4In6():
		return ip.Unmap().String()
	case ip.Is6():
		p, _ := ip.WithZone("").Prefix(64)
		return p.String()
	}
	return ip.String()
}
