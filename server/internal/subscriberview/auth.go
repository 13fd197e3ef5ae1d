package subscriberview

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
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

// LoginLookup finds a subscriber, password hash included, by login.
type LoginLookup interface {
	SubscriberByLogin(ctx context.Context, login string) (Subscriber, error)
}

// AuthOptions tune an Authenticator; zero values take the defaults.
type AuthOptions struct {
	CacheTTL     time.Duration // how long a verified password is trusted; default 5 min
	MaxFailures  int           // failures per login and per IP per window; default 10
	FailWindow   time.Duration // default 15 min
	Now          func() time.Time
	MaxCacheSize int // default 100,000 entries
}

// Authenticator checks subscriber passwords. A successful argon2id check is
// remembered for CacheTTL under (login, SHA-256 of the password) together with
// the hash it was checked against, and is trusted only while the subscriber's
// hash is still that one: a password change invalidates it at once, with no
// notification needed. Status and expiry are never cached; the caller reads
// them from the fresh Subscriber. Failures are rate-limited per login and per
// client IP.
type Authenticator struct {
	lookup LoginLookup
	opts   AuthOptions
	byLog  *ratelimit.Failures
	byIP   *ratelimit.Failures

	mu    sync.Mutex
	cache map[cacheKey]cacheEntry
}

type cacheKey struct {
	login string
	sum   [sha256.Size]byte
}

type cacheEntry struct {
	hash    string
	expires time.Time
}

// NewAuthenticator returns an Authenticator over lookup.
func NewAuthenticator(lookup LoginLookup, opts AuthOptions) *Authenticator {
	if opts.CacheTTL <= 0 {
		opts.CacheTTL = 5 * time.Minute
	}
	if opts.MaxFailures <= 0 {
		opts.MaxFailures = 10
	}
	if opts.FailWindow <= 0 {
		opts.FailWindow = 15 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxCacheSize <= 0 {
		opts.MaxCacheSize = 100_000
	}
	return &Authenticator{lookup: lookup, opts: opts, cache: map[cacheKey]cacheEntry{},
		byLog: &ratelimit.Failures{Max: opts.MaxFailures, Window: opts.FailWindow, Now: opts.Now},
		byIP:  &ratelimit.Failures{Max: opts.MaxFailures * 5, Window: opts.FailWindow, Now: opts.Now}}
}

// Authenticate returns the subscriber whose login and password these are. It
// returns ErrBadCredentials for an unknown login or a wrong password, an
// *api.Error with CodeRateLimited when the login or IP has failed too often,
// and other errors when the lookup fails.
func (a *Authenticator) Authenticate(ctx context.Context, login, password, clientIP string) (Subscriber, error) {
	lkey := "login:" + strings.ToLower(login)
	ikey := "ip:" + clientIP
	for _, lim := range []struct {
		f   *ratelimit.Failures
		key string
	}{{a.byLog, lkey}, {a.byIP, ikey}} {
		if ok, wait := lim.f.Check(lim.key); !ok {
			return Subscriber{}, &api.Error{Code: api.CodeRateLimited,
				Message: fmt.Sprintf("too many failed sign-ins; try again in %d seconds", int(wait.Seconds())+1)}
		}
	}
	sub, err := a.lookup.SubscriberByLogin(ctx, login)
	if api.ErrorCode(err) == api.CodeNotFound || (err == nil && login == "") {
		_ = credential.BurnVerify(password) // as slow as a wrong password
		a.fail(lkey, ikey)
		return Subscriber{}, ErrBadCredentials
	}
	if err != nil {
		return Subscriber{}, err
	}
	key := cacheKey{login: strings.ToLower(login), sum: sha256.Sum256([]byte(password))}
	if a.cached(key, sub.PasswordHash) {
		return sub, nil
	}
	if err := credential.VerifyPassword(sub.PasswordHash, password); err != nil {
		a.fail(lkey, ikey)
		return Subscriber{}, ErrBadCredentials
	}
	a.remember(key, sub.PasswordHash)
	a.byLog.Reset(lkey)
	return sub, nil
}

func (a *Authenticator) fail(keys ...string) {
	a.byLog.Fail(keys[0])
	a.byIP.Fail(keys[1])
}

func (a *Authenticator) cached(k cacheKey, hash string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, ok := a.cache[k]
	return ok && e.hash == hash && a.opts.Now().Before(e.expires)
}

func (a *Authenticator) remember(k cacheKey, hash string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.opts.Now()
	if len(a.cache) >= a.opts.MaxCacheSize {
		for ck, e := range a.cache {
			if !now.Before(e.expires) {
				delete(a.cache, ck)
			}
		}
		if len(a.cache) >= a.opts.MaxCacheSize {
			clear(a.cache) // a flood of distinct passwords; start over rather than grow
		}
	}
	a.cache[k] = cacheEntry{hash: hash, expires: now.Add(a.opts.CacheTTL)}
}

// Forget drops every cached verification of login; call it when the
// subscriber changes (the hash check already covers password changes).
func (a *Authenticator) Forget(login string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l := strings.ToLower(login)
	for k := range a.cache {
		if k.login == l {
			delete(a.cache, k)
		}
	}
}

// ForgetAll empties the cache, e.g. after a database reset.
func (a *Authenticator) ForgetAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	clear(a.cache)
}
