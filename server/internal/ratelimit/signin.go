package ratelimit

import (
	"strings"
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
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// SignIns counts failed sign-ins so that guessing stops without locking the
// owner out. Limits that refuse are per address and per (login, address):
// they stop the guesser, wherever the owner signs in from. A login guessed
// at from many addresses is only slowed (Delay), never refused, so the
// owner still gets in.
type SignIns struct {
	opts      SignInOptions
	byAddress *Failures
	byPair    *Failures
	byLogin   *Failures
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
	f := func(max int) *Failures { return &Failures{Max: max, Window: opts.Window, Now: opts.Now} }
	return &SignIns{opts: opts, byAddress: f(opts.PerAddress), byPair: f(opts.PerPair), byLogin: f(0)}
}

// Check reports whether address may try login now and, if not, how long it
// must wait.
func (s *SignIns) Check(login, address string) (ok bool, retryAfter time.Duration) {
	if ok, wait := s.byAddress.Check(address); !ok {
		return false, wait
	}
	return s.byPair.Check(pairKey(login, address))
}

// Delay is how long a sign-in of login waits before its password is
// checked: nothing until the login had PerPair failures in the window, then
// SlowStep more for each PerPair, up to MaxSlow.
func (s *SignIns) Delay(login string) time.Duration {
	n := s.byLogin.Count(strings.ToLower(login)) / s.opts.PerPair
	return min(time.Duration(n)*s.opts.SlowStep, s.opts.MaxSlow)
}

// Fail records a failed sign-in of login from address.
func (s *SignIns) Fail(login, address string) {
	s.byAddress.Fail(address)
	s.byPair.Fail(pairKey(login, address))
	s.byLogin.Fail(strings.ToLower(login))
}

// Succeed forgets the failures of login from address. The login's count
// from elsewhere stays: the owner signing in does not stop an attack.
func (s *SignIns) Succeed(login, address string) {
	s.byPair.Reset(pairKey(login, address))
}

func pairKey(login, address string) string {
	return strings.ToLower(login) + "\x00" + address
}
