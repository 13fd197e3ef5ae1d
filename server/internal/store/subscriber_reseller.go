package store

import (
	"context"
	"fmt"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// What a reseller may do to its subscribers is checked here, in the store,
// so every surface that writes subscribers (the admin API today, any other
// tomorrow) keeps the same rules:
//
//   - access is bought: a subscriber's expiry comes only from the period of
//     a package the reseller pays for (on create or extend), and its session
//     limit from the packages it holds, or a lower one; never unlimited;
//   - a ban is the operator's: a reseller may disable and enable its own
//     subscribers, but not ban one, lift a ban, turn it into a disable, or
//     delete a banned subscriber to start afresh.
//
// Each refusal is CodeForbidden naming the field, returned before anything
// is written (or inside the transaction, which then rolls back), so nothing
// changes, credits included.

func forbidden(field, reason string) error {
	return &api.Error{Code: api.CodeForbidden, Message: "not allowed for resellers: " + reason,
		Fields: map[string]string{field: reason}}
}

// packageTerms is what a set of packages grants: the longest period and the
// highest session limit among them.
type packageTerms struct {
	periodDays  int
	maxSessions int
}

func findPackageTerms(ctx context.Context, tx pgx.Tx, ids []int64) (packageTerms, error) {
	var t packageTerms
	err := tx.QueryRow(ctx, `SELECT coalesce(max(period_days), 0), coalesce(max(max_sessions), 1)
		FROM packages WHERE id = ANY($1)`, ids).Scan(&t.periodDays, &t.maxSessions)
	return t, err
}

// prepareResellerSubscriber checks a subscriber a reseller is creating and
// fills in what the purchase grants: the expiry (now plus the longest period
// bought; now, so already expired, when nothing is bought) and the session
// limit (the packages' limit when sub asks for none).
func prepareResellerSubscriber(ctx context.Context, tx pgx.Tx, actor api.Actor, sub *api.Subscriber) error {
	if sub.Trial {
		return forbidden("trial", "trial lines are made with POST /subscribers/trial, within the trial quota")
	}
	rules, err := findResellerRules(ctx, tx, actor.ID)
	if err != nil {
		return err
	}
	if err := checkCredentialLengths(rules, sub.Login, &sub.Password); err != nil {
		return err
	}
	if sub.ExpiresAt != nil {
		return forbidden("expires_at", "the expiry comes from the package bought; extend with a package to add time")
	}
	if sub.Status == api.StatusBanned {
		return forbidden("status", "only an operator can ban")
	}
	terms, err := findPackageTerms(ctx, tx, sub.PackageIDs)
	if err != nil {
		return err
	}
	if err := checkSessionLimit(sub.MaxSessions, terms.maxSessions, 0, true); err != nil {
		return err
	}
	if sub.MaxSessions == 0 {
		sub.MaxSessions = terms.maxSessions
	}
	var expires time.Time
	if err := tx.QueryRow(ctx, `SELECT now() + make_interval(days => $1)`, terms.periodDays).Scan(&expires); err != nil {
		return err
	}
	sub.ExpiresAt = &expires
	return nil
}

// checkSessionLimit allows a reseller a session limit of at least 1 and at
// most the packages' limit, or the subscriber's current one when that is
// higher (an operator may have granted more). zeroMeansDefault is true on
// create, where an absent max_sessions reads as 0 and takes the packages'.
func checkSessionLimit(v, packageLimit, current int, zeroMeansDefault bool) error {
	if v == 0 && zeroMeansDefault {
		return nil
	}
	limit := max(packageLimit, current)
	if v < 1 || v > limit {
		return forbidden("max_sessions", fmt.Sprintf("must be between 1 and %d, the limit of the packages held", limit))
	}
	return nil
}

// checkResellerUpdate refuses the parts of upd a reseller may not make to
// its subscriber before.
func checkResellerUpdate(ctx context.Context, tx pgx.Tx, actor api.Actor, before api.Subscriber, upd api.SubscriberUpdate) error {
	if actor.Kind != api.KindReseller {
		return nil
	}
	switch {
	case before.Status == api.StatusBanned:
		// A new login would free the old one for a fresh, unbanned account,
		// as a delete would; a new password would hand the line on.
		return forbidden("status", "this subscriber was banned by an operator; only an operator can change it")
	case upd.ResellerID != nil && *upd.ResellerID != actor.ID:
		return forbidden("reseller_id", "a reseller cannot move subscribers")
	case upd.PackageIDs != nil:
		return forbidden("package_ids", "resellers add packages with POST /subscribers/{id}/extend, which charges for them")
	case upd.ExpiresAt != nil:
		return forbidden("expires_at", "the expiry comes from the package bought; extend with a package to add time")
	case upd.ClearExpiry:
		return forbidden("clear_expiry", "only an operator can make a subscriber never expire")
	case upd.Trial != nil && *upd.Trial != before.Trial:
		return forbidden("trial", "a trial becomes a paid line by extending it with a package")
	}
	if upd.Login != nil || upd.Password != nil {
		rules, err := findResellerRules(ctx, tx, actor.ID)
		if err != nil {
			return err
		}
		login := before.Login
		if upd.Login != nil {
			login = *upd.Login
		}
		if err := checkCredentialLengths(rules, login, upd.Password); err != nil {
			return err
		}
	}
	if upd.Status != nil {
		if err := checkResellerStatus(actor, before, *upd.Status); err != nil {
			return err
		}
	}
	if upd.MaxSessions == nil || *upd.MaxSessions == before.MaxSessions {
		return nil
	}
	terms, err := findPackageTerms(ctx, tx, before.PackageIDs)
	if err != nil {
		return err
	}
	return checkSessionLimit(*upd.MaxSessions, terms.maxSessions, before.MaxSessions, false)
}

// checkResellerStatus refuses a reseller's status change that bans, or that
// touches a subscriber an operator banned.
func checkResellerStatus(actor api.Actor, before api.Subscriber, status string) error {
	switch {
	case actor.Kind != api.KindReseller || status == before.Status:
		return nil
	case before.Status == api.StatusBanned:
		return forbidden("status", "this subscriber was banned by an operator; only an operator can lift the ban")
	case status == api.StatusBanned:
		return forbidden("status", "only an operator can ban; disable the subscriber instead")
	}
	return nil
}

// checkResellerDelete keeps a reseller from deleting a banned subscriber,
// which would free its login for a fresh, unbanned account.
func checkResellerDelete(actor api.Actor, before api.Subscriber) error {
	if actor.Kind == api.KindReseller && before.Status == api.StatusBanned {
		return forbidden("status", "this subscriber was banned by an operator; only an operator can delete it")
	}
	return nil
}
