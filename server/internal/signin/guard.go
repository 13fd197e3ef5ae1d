// Package signin is the one path every password sign-in takes (Xtream
// Codes, the portal, the admin and reseller API): remembered passwords,
// failure limits that stop a guesser without locking the owner out, and
// password checks through one bounded credential.Hasher.
package signin

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/ratelimit"
	"canale/shared/api"
)

// ErrBadCredentials is the one answer to an unknown login and to a wrong
// password, so a caller cannot tell which it was.
var ErrBadCredentials = errors.New("wrong login or password")

// Options tune a Guard; zero values take the defaults.
type Options struct {
	// Hasher checks passwords; share one per process so the bound on
	// hashing holds across surfaces. Nil makes one for this Guard.
	Hasher *credential.Hasher
	// Limits are the failure counts and their thresholds; see
	// ratelimit.SignInOptions for the defaults.
	Limits ratelimit.SignInOptions
	// RememberFor is how long a verified password is trusted; default 5 min.
	RememberFor time.Duration
	// MaxRemembered bounds the remembered passwords; default 100,000.
	MaxRemembered int
	// Sleep waits out a slowed sign-in; nil sleeps for real. Tests set it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Attempt is one sign-in: what was typed and where from (the client
// address as Gin reports it).
type Attempt struct {
	Login, Password, Address string
	// SecondFactor says the account has a second step (a TOTP code) after
	// the password. Such a password is neither remembered nor does it clear
	// the failures: the caller ends the sign-in with Accept or Refuse.
	SecondFactor bool
}

// Account is what the caller found for the login. Found is false for an
// unknown login, which then costs what a wrong password costs.
type Account struct {
	Found bool
	Hash  string
}

// Result is a successful check. Upgraded, when not empty, is a hash of the
// password with today's parameters, for the caller to store in place of
// the account's older one.
type Result struct {
	Upgraded string
}

// Guard checks the passwords of one kind of account. A password that was
// verified is remembered for RememberFor under (login, SHA-256 of the
// password), together with the hash it was checked against and the
// addresses it came from: it is trusted only while the account's hash is
// still that one (a password change ends it at once), and only from those
// addresses before any limit, so the owner's player keeps working while
// someone else guesses, and a guesser cannot use the shortcut to test
// guesses past the limits.
type Guard struct {
	hasher *credential.Hasher
	limits *ratelimit.SignIns
	opts   Options

	mu sync.Mutex
	// remembered is keyed by login, then by the password's digest, so that
	// forgetting one login (on every change of a subscriber: a billing batch
	// sends thousands) does not scan every remembered password under the
	// lock each sign-in takes. count is the number of memories in all.
	remembered map[string]map[[sha256.Size]byte]*memory
	count      int
}

type memoryKey struct {
	login string
	sum   [sha256.Size]byte
}

// maxAddresses bounds the addresses remembered for one password: a phone
// moving between networks, a set-top box and a TV app.
const maxAddresses = 8

type memory struct {
	hashes    [2]string // the hash verified against and its upgrade, if any
	expires   time.Time
	addresses []string
}

func (m *memory) holds(hash string) bool {
	return hash != "" && (m.hashes[0] == hash || m.hashes[1] == hash)
}

// New returns a Guard with opts.
func New(opts Options) *Guard {
	if opts.Hasher == nil {
		opts.Hasher = credential.NewHasher(credential.HasherOptions{})
	}
	if opts.RememberFor <= 0 {
		opts.RememberFor = 5 * time.Minute
	}
	if opts.MaxRemembered <= 0 {
		opts.MaxRemembered = 100_000
	}
	if opts.Limits.Now == nil {
		opts.Limits.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	return &Guard{hasher: opts.Hasher, limits: ratelimit.NewSignIns(opts.Limits), opts: opts,
		remembered: map[string]map[[sha256.Size]byte]*memory{}}
}

// Check decides a sign-in. It returns ErrBadCredentials for an unknown login
// or a wrong password; a *RetryError with CodeRateLimited when the address
// failed too often (on this login or in all), or with CodeUnavailable when
// too many passwords are being checked at once (or ctx ended while it
// waited, which no one is left to read).
func (g *Guard) Check(ctx context.Context, at Attempt, acct Account) (Result, error) {
	key := memoryKey{login: strings.ToLower(at.Login), sum: sha256.Sum256([]byte(at.Password))}
	if acct.Found && !at.SecondFactor && g.remembers(key, acct.Hash, at.Address, false) {
		return Result{}, nil
	}
	if ok, wait := g.limits.Check(key.login, at.Address); !ok {
		return Result{}, retry(api.CodeRateLimited, wait, "too many failed sign-ins; try again in %d seconds")
	}
	if d := g.limits.Delay(key.login); d > 0 {
		if err := g.opts.Sleep(ctx, d); err != nil {
			// The client left while slowed (guessers do, to save time):
			// nothing to log, and nothing learnt or counted.
			return Result{}, retry(api.CodeRateLimited, d, "too many failed sign-ins; try again in %d seconds")
		}
	}
	if acct.Found && !at.SecondFactor && g.remembers(key, acct.Hash, at.Address, true) {
		g.succeed(key, acct.Hash, "", at.Address)
		return Result{}, nil
	}
	if ok, wait := g.limits.Turn(key.login); !ok {
		return Result{}, retry(api.CodeRateLimited, wait, "this account is being guessed at; try again in %d seconds")
	}
	hash := ""
	if acct.Found {
		hash = acct.Hash
	}
	upgraded, err := g.hasher.Verify(ctx, hash, at.Password)
	switch {
	case notHashed(err):
		return Result{}, retry(api.CodeUnavailable, time.Second, "too many sign-ins at once; try again in %d seconds")
	case err != nil:
		g.limits.Fail(key.login, at.Address)
		return Result{}, ErrBadCredentials
	}
	if !at.SecondFactor {
		g.succeed(key, acct.Hash, upgraded, at.Address)
	}
	return Result{Upgraded: upgraded}, nil
}

// Accept ends a SecondFactor sign-in whose second step passed: the
// failures of (login, address) are cleared as for any success.
func (g *Guard) Accept(login, address string) {
	g.limits.Succeed(strings.ToLower(login), address)
}

// remembers reports whether the password of key was verified against hash
// (or its upgrade) and came from address, or from anywhere.
func (g *Guard) remembers(key memoryKey, hash, address string, anywhere bool) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.remembered[key.login][key.sum]
	if m == nil || !m.holds(hash) || !g.opts.Limits.Now().Before(m.expires) {
		return false
	}
	return anywhere || slices.Contains(m.addresses, address)
}

func (g *Guard) succeed(key memoryKey, hash, upgraded, address string) {
	g.limits.Succeed(key.login, address)
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.opts.Limits.Now()
	m := g.remembered[key.login][key.sum]
	if m == nil || !m.holds(hash) || !now.Before(m.expires) {
		g.makeRoom(now)
		m = &memory{hashes: [2]string{hash, upgraded}}
		g.put(key, m)
	} else if upgraded != "" {
		m.hashes = [2]string{hash, upgraded}
	}
	m.expires = now.Add(g.opts.RememberFor)
	if slices.Contains(m.addresses, address) {
		return
	}
	if len(m.addresses) == maxAddresses {
		m.addresses = m.addresses[1:]
	}
	m.addresses = append(m.addresses, address)
}

// makeRoom drops expired entries when the map is full, and everything when
// that is not enough: a flood of distinct passwords starts the memory over
// rather than growing it.
func (g *Guard) makeRoom(now time.Time) {
	if g.count < g.opts.MaxRemembered {
		return
	}
	for login, byPassword := range g.remembered {
		for sum, m := range byPassword {
			if !now.Before(m.expires) {
				delete(byPassword, sum)
				g.count--
			}
		}
		if len(byPassword) == 0 {
			delete(g.remembered, login)
		}
	}
	if g.count >= g.opts.MaxRemembered {
		clear(g.remembered)
		g.count = 0
	}
}

// put stores m under key; the caller holds mu.
func (g *Guard) put(key memoryKey, m *memory) {
	byPassword := g.remembered[key.login]
	if byPassword == nil {
		byPassword = map[[sha256.Size]byte]*memory{}
		g.remembered[key.login] = byPassword
	}
	if _, had := byPassword[key.sum]; !had {
		g.count++
	}
	byPassword[key.sum] = m
}

// Forget drops every remembered password of login; call it when the
// account changes (the hash check already covers password changes).
func (g *Guard) Forget(login string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := strings.ToLower(login)
	g.count -= len(g.remembered[l])
	delete(g.remembered, l)
}

// Refuse ends a SecondFactor sign-in whose second step failed (a wrong or
// replayed code) as a failed sign-in of (login, address): knowing the
// password must not buy unlimited guesses at the code.
func (g *Guard) Refuse(login, address string) {
	g.limits.Fail(strings.ToLower(login), address)
}

// ForgetAll drops every remembered password, e.g. after a database reset.
func (g *Guard) ForgetAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	clear(g.remembered)
	g.count = 0
}

// notHashed reports whether a Hasher gave up before hashing: every slot
// stayed taken, or the caller left while it waited.
func notHashed(err error) bool {
	return errors.Is(err, credential.ErrBusy) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Busy turns a Hasher that gave up before hashing (a new password being set)
// into a 503 with Retry-After, as a sign-in that finds every slot taken is
// answered; any other error is returned as it is.
func Busy(err error) error {
	if notHashed(err) {
		return retry(api.CodeUnavailable, time.Second, "too many passwords being hashed at once; try again in %d seconds")
	}
	return err
}

// RetryError is a refusal that says when to come back. It unwraps to the
// *api.Error that carries its code.
type RetryError struct {
	Err   *api.Error
	After time.Duration
}

func (e *RetryError) Error() string { return e.Err.Error() }

// Unwrap returns the coded error, so api.ErrorCode sees its code.
func (e *RetryError) Unwrap() error { return e.Err }

// RetryAfter returns the whole seconds to put in a Retry-After header when
// err is a *RetryError.
func RetryAfter(err error) (seconds int, ok bool) {
	var re *RetryError
	if !errors.As(err, &re) {
		return 0, false
	}
	return int(re.After.Seconds()) + 1, true
}

func retry(code api.Code, after time.Duration, format string) *RetryError {
	return &RetryError{Err: &api.Error{Code: code, Message: fmt.Sprintf(format, int(after.Seconds())+1)}, After: after}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
