package subscriberview

import (
	"context"
	"log/slog"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/ratelimit"
	"canale/server/internal/signin"
	"canale/shared/api"
)

// ErrBadCredentials is the one answer to an unknown login and to a wrong
// password, so a caller cannot tell which it was.
var ErrBadCredentials = signin.ErrBadCredentials

// LoginLookup finds a subscriber, password hash included, by login.
type LoginLookup interface {
	SubscriberByLogin(ctx context.Context, login string) (Subscriber, error)
}

// PasswordUpgrader stores a stronger hash of a subscriber's password, made
// at sign-in, unless the hash changed meanwhile; *store.Store is one.
type PasswordUpgrader interface {
	UpgradeSubscriberPassword(ctx context.Context, id int64, oldHash, newHash string) error
}

// AuthOptions tune an Authenticator; zero values take the defaults.
type AuthOptions struct {
	CacheTTL     time.Duration // how long a verified password is trusted; default 5 min
	MaxFailures  int           // failures per (login, address) per window; default 10, and 5× per address
	FailWindow   time.Duration // default 15 min
	Now          func() time.Time
	MaxCacheSize int // default 100,000 entries
	// Hasher checks passwords, shared with the other sign-in surfaces; nil
	// makes one.
	Hasher *credential.Hasher
	// Upgrader, when not nil, receives the upgraded hash of an imported
	// password after its first successful sign-in.
	Upgrader PasswordUpgrader
	Logger   *slog.Logger // nil discards
	// Sleep waits out a slowed sign-in; nil sleeps for real.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Authenticator checks subscriber passwords through a signin.Guard: a
// remembered password works at once from where it was used, failures are
// limited per address and per (login, address), and a login guessed at from
// many addresses is slowed. Status and expiry are never cached; the caller
// reads them from the fresh Subscriber.
type Authenticator struct {
	lookup   LoginLookup
	guard    *signin.Guard
	upgrader PasswordUpgrader
	logger   *slog.Logger
}

// NewAuthenticator returns an Authenticator over lookup.
func NewAuthenticator(lookup LoginLookup, opts AuthOptions) *Authenticator {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Authenticator{lookup: lookup, upgrader: opts.Upgrader, logger: opts.Logger,
		guard: signin.New(signin.Options{Hasher: opts.Hasher, RememberFor: opts.CacheTTL,
			MaxRemembered: opts.MaxCacheSize, Sleep: opts.Sleep,
			Limits: ratelimit.SignInOptions{PerPair: opts.MaxFailures, Window: opts.FailWindow, Now: opts.Now}})}
}

// Authenticate returns the subscriber whose login and password these are. It
// returns ErrBadCredentials for an unknown login or a wrong password, a
// *signin.RetryError with CodeRateLimited when this address failed too
// often or with CodeUnavailable when too many sign-ins are being checked,
// and other errors when the lookup fails. A login longer than any
// subscriber's gets ErrBadCredentials at once, neither looked up nor
// counted, so its size never reaches the database or the counters.
func (a *Authenticator) Authenticate(ctx context.Context, login, password, clientIP string) (Subscriber, error) {
	if len(login) > api.MaxLoginLen {
		return Subscriber{}, ErrBadCredentials
	}
	sub, err := a.lookup.SubscriberByLogin(ctx, login)
	if err != nil && api.ErrorCode(err) != api.CodeNotFound {
		return Subscriber{}, err
	}
	found := err == nil && login != ""
	res, err := a.guard.Check(ctx, signin.Attempt{Login: login, Password: password, Address: clientIP},
		signin.Account{Found: found, Hash: sub.PasswordHash})
	if err != nil {
		return Subscriber{}, err
	}
	if res.Upgraded != "" && a.upgrader != nil {
		a.upgrade(ctx, sub, res.Upgraded)
	}
	return sub, nil
}

// upgrade stores the stronger hash. A failure only leaves the old hash for
// the next sign-in to upgrade, so it is logged, not returned.
func (a *Authenticator) upgrade(ctx context.Context, sub Subscriber, hash string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := a.upgrader.UpgradeSubscriberPassword(ctx, sub.ID, sub.PasswordHash, hash); err != nil {
		a.logger.WarnContext(ctx, "upgrade subscriber password hash", "subscriber_id", sub.ID, "error", err)
		return
	}
	a.logger.InfoContext(ctx, "upgraded subscriber password hash", "subscriber_id", sub.ID)
}

// Forget drops every remembered password of login; call it when the
// subscriber changes (the hash check already covers password changes).
func (a *Authenticator) Forget(login string) { a.guard.Forget(login) }

// ForgetAll empties the remembered passwords, e.g. after a database reset.
func (a *Authenticator) ForgetAll() { a.guard.ForgetAll() }
