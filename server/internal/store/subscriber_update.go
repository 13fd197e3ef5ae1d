package store

import (
	"context"
	"fmt"
	"strings"

	"canale/server/internal/credential"
	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// UpdateSubscriber applies a partial change. The subscriber it makes is
// checked as a whole (api.SubscriberUpdate.ValidateChange), here and not in
// the surfaces, so every caller gets the same rules: CodeInvalid naming the
// field. A new password in upd.Password is hashed only once every check has
// passed (see hashChecked), and then replaces the old one. A new password,
// a disable or a ban ends the subscriber's portal sessions in the same
// transaction. It returns CodeConflict naming "version" when upd.Version is
// not the current version, CodeNotFound when there is no such subscriber
// (or actor is a reseller who does not own it), and CodeForbidden naming
// the field when a reseller tries what only an operator may (see
// subscriber_reseller.go): move a subscriber to another reseller, change
// its packages directly (resellers buy packages through ExtendSubscriber,
// which charges for them), set or clear its expiry, raise its session
// limit above its packages' or to unlimited, ban it or lift a ban.
func (s *Store) UpdateSubscriber(ctx context.Context, actor api.Actor, id int64, upd api.SubscriberUpdate) (api.Subscriber, error) {
	var out api.Subscriber
	err := s.writeWithPassword(ctx, upd.Password, func(tx pgx.Tx) error {
		_, _, err := checkSubscriberUpdate(ctx, tx, actor, id, upd)
		return err
	}, func(tx pgx.Tx, hash string) error {
		before, after, err := checkSubscriberUpdate(ctx, tx, actor, id, upd)
		if err != nil {
			return err
		}
		if err := writeSubscriber(ctx, tx, after, hash); err != nil {
			return err
		}
		if err := endPortalSessions(ctx, tx, id, after.Status, hash != ""); err != nil {
			return err
		}
		if upd.PackageIDs != nil {
			if err := setSubscriberPackages(ctx, tx, id, after.PackageIDs); err != nil {
				return err
			}
		}
		out, err = finishSubscriberChange(ctx, tx, actor, api.OpUpdate, before)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("update subscriber %d: %w", id, err)
	}
	return out, nil
}

// checkSubscriberUpdate locks subscriber id and checks upd against it: the
// subscriber it makes, then the version, then what a reseller may change.
// It returns the row before and after the change.
func checkSubscriberUpdate(ctx context.Context, tx pgx.Tx, actor api.Actor, id int64, upd api.SubscriberUpdate) (before, after api.Subscriber, err error) {
	if before, err = lockSubscriber(ctx, tx, actor, id); err != nil {
		return before, after, err
	}
	if err = upd.ValidateChange(before); err != nil {
		return before, after, err
	}
	if err = checkVersion("subscriber", id, before.Version, upd.Version); err != nil {
		return before, after, err
	}
	if err = checkResellerUpdate(ctx, tx, actor, before, upd); err != nil {
		return before, after, err
	}
	after = upd.Apply(before)
	after.Password = "" // write-only: hashed apart, never in the audit record
	normalizeSubscriber(&after)
	return before, after, nil
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// writeSubscriber stores every column of s under the version it was read at.
func writeSubscriber(ctx context.Context, tx pgx.Tx, s api.Subscriber, newPasswordHash string) error {
	tag, err := tx.Exec(ctx, `UPDATE subscribers SET login = $3, name = $4, contact = $5, status = $6, expires_at = $7,
			max_sessions = $8, allowed_ips = $9, allowed_user_agents = $10, notes = $11, reseller_id = $12,
			balance = $13, payment_info = $14, trial = $15, attributes = $16,
			password_hash = CASE WHEN $17 = '' THEN password_hash ELSE $17 END,
			version = version + 1, updated_at = now()
		WHERE id = $1 AND version = $2`,
		s.ID, s.Version, s.Login, s.Name, s.Contact, s.Status, s.ExpiresAt, s.MaxSessions, s.AllowedIPs,
		s.AllowedUserAgents, s.Notes, s.ResellerID, s.Balance, s.PaymentInfo, s.Trial, []byte(s.Attributes), newPasswordHash)
	if err != nil {
		return interpretError(err)
	}
	if tag.RowsAffected() == 0 {
		return errStale("subscriber", s.ID)
	}
	return nil
}

// finishSubscriberChange reads the row back, audits the change and queues
// the NOTIFY, the common tail of every subscriber write.
func finishSubscriberChange(ctx context.Context, tx pgx.Tx, actor api.Actor, action api.Op, before api.Subscriber) (api.Subscriber, error) {
	after, err := scanSubscriber(tx.QueryRow(ctx, `SELECT `+subscriberColumns+` FROM subscribers s WHERE s.id = $1`, before.ID))
	if err != nil {
		return after, err
	}
	return after, writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntitySubscriber, before.ID, before, after).as(action))
}

// ResetSubscriberToken gives the subscriber a new playback token. The old
// one stops matching the moment the transaction commits, and the NOTIFY
// tells every instance's read model to drop it.
func (s *Store) ResetSubscriberToken(ctx context.Context, actor api.Actor, id int64) (api.Subscriber, error) {
	return s.changeSubscriber(ctx, actor, id, api.OpResetToken, func(tx pgx.Tx, _ api.Subscriber) error {
		_, err := tx.Exec(ctx, `UPDATE subscribers SET token = $2, version = version + 1, updated_at = now() WHERE id = $1`,
			id, credential.NewPlaybackToken())
		return err
	})
}

// SetSubscriberStatus enables (active), disables or bans a subscriber; the
// last two end its portal sessions. A
// reseller gets CodeForbidden naming "status" for a ban, and for any change
// to a subscriber an operator banned.
func (s *Store) SetSubscriberStatus(ctx context.Context, actor api.Actor, id int64, status string) (api.Subscriber, error) {
	action := map[string]api.Op{api.StatusActive: api.OpEnable, api.StatusDisabled: api.OpDisable, api.StatusBanned: api.OpBan}[status]
	if action == "" {
		return api.Subscriber{}, &api.Error{Code: api.CodeInvalid, Message: "unknown status", Fields: map[string]string{"status": "unknown"}}
	}
	return s.changeSubscriber(ctx, actor, id, action, func(tx pgx.Tx, before api.Subscriber) error {
		if err := checkResellerStatus(actor, before, status); err != nil {
			return err
		}
		if err := endPortalSessions(ctx, tx, id, status, false); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE subscribers SET status = $2, version = version + 1, updated_at = now() WHERE id = $1`, id, status)
		return err
	})
}

// ExtendSubscriber pushes the expiry forward from max(now, expires_at): by
// the package's period_days (the subscriber then holds that package) or by
// req.Days. A subscriber that never expires keeps no expiry. For a reseller
// the package must be one it sells (else CodeForbidden naming "package_id"),
// days are CodeForbidden, and the price is
// debited in the same transaction (CodeConflict naming "credits" when short).
func (s *Store) ExtendSubscriber(ctx context.Context, actor api.Actor, id int64, req api.ExtendRequest) (api.Subscriber, error) {
	if actor.Kind == api.KindReseller && req.PackageID == 0 {
		return api.Subscriber{}, &api.Error{Code: api.CodeForbidden, Message: "resellers extend by package",
			Fields: map[string]string{"days": "resellers extend by package_id, which is priced in credits"}}
	}
	return s.changeSubscriber(ctx, actor, id, api.OpExtend, func(tx pgx.Tx, before api.Subscriber) error {
		days := req.Days
		if req.PackageID != 0 {
			if err := tx.QueryRow(ctx, `SELECT period_days FROM packages WHERE id = $1`, req.PackageID).Scan(&days); err != nil {
				return fieldNotFound(err, "package_id", "no such package")
			}
			if _, err := tx.Exec(ctx, `INSERT INTO subscriber_packages (subscriber_id, package_id) VALUES ($1, $2)
				ON CONFLICT DO NOTHING`, id, req.PackageID); err != nil {
				return err
			}
			if actor.Kind == api.KindReseller {
				if err := chargeForPackages(ctx, tx, actor, id, []int64{req.PackageID}, "package_id", "extend subscriber "+before.Login); err != nil {
					return err
				}
			}
		}
		if before.Trial && req.PackageID != 0 {
			return convertTrial(ctx, tx, before, req.PackageID, days)
		}
		_, err := tx.Exec(ctx, `UPDATE subscribers SET expires_at = CASE WHEN expires_at IS NULL THEN NULL
				ELSE greatest(now(), expires_at) + make_interval(days => $2) END,
			version = version + 1, updated_at = now() WHERE id = $1`, id, days)
		return err
	})
}

func fieldNotFound(err error, field, reason string) error {
	if err == pgx.ErrNoRows {
		return &api.Error{Code: api.CodeInvalid, Message: reason, Fields: map[string]string{field: reason}}
	}
	return err
}

// changeSubscriber runs one action on a locked, visible subscriber and
// finishes it with audit and NOTIFY.
func (s *Store) changeSubscriber(ctx context.Context, actor api.Actor, id int64, action api.Op, fn func(pgx.Tx, api.Subscriber) error) (api.Subscriber, error) {
	var out api.Subscriber
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := lockSubscriber(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := fn(tx, before); err != nil {
			return err
		}
		out, err = finishSubscriberChange(ctx, tx, actor, action, before)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("%s subscriber %d: %w", strings.ReplaceAll(string(action), "_", " "), id, err)
	}
	return out, nil
}

// chargeForPackages debits the reseller actor the sum of its prices for
// pkgs. Every package must be one the reseller sells: any other is
// CodeForbidden naming field, the request's name for the packages.
func chargeForPackages(ctx context.Context, tx pgx.Tx, actor api.Actor, subscriberID int64, pkgs []int64, field, reason string) error {
	if len(pkgs) == 0 {
		return nil
	}
	var n int
	var total int64
	err := tx.QueryRow(ctx, `SELECT count(*), (coalesce(sum(price_credits), 0) * 100)::bigint FROM reseller_packages
		WHERE reseller_id = $1 AND package_id = ANY($2)`, actor.ID, pkgs).Scan(&n, &total)
	if err != nil {
		return err
	}
	if n != len(uniqueIDs(pkgs)) {
		return forbidden(field, "names a package you do not sell")
	}
	return debitCredits(ctx, tx, actor, actor.ID, total, reason, &subscriberID)
}

// debitCredits takes amount (minor units) from a reseller's credits if, and only if, they
// suffice. The conditional UPDATE locks the row, so concurrent debits queue
// and each sees the balance the previous one left: none can overdraw or be
// counted twice. The change is logged with the balance after it.
func debitCredits(ctx context.Context, tx pgx.Tx, actor api.Actor, resellerID int64, amount int64, reason string, subscriberID *int64) error {
	if amount == 0 {
		return nil
	}
	var after int64
	err := tx.QueryRow(ctx, `UPDATE resellers SET credits = credits - $1::bigint / 100.0
		WHERE id = $2 AND credits * 100 >= $1::bigint RETURNING (credits * 100)::bigint`, amount, resellerID).Scan(&after)
	if err == pgx.ErrNoRows {
		return &api.Error{Code: api.CodeConflict, Message: "not enough credits: " + api.FormatCredits(amount) + " needed",
			Fields: map[string]string{"credits": "insufficient"}}
	}
	if err != nil {
		return err
	}
	return logCredits(ctx, tx, actor, resellerID, -amount, after, reason, subscriberID)
}

// logCredits records a change of delta minor units that left the balance
// at after, in the transaction of the change.
func logCredits(ctx context.Context, tx pgx.Tx, actor api.Actor, resellerID int64, delta, after int64, reason string, subscriberID *int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO reseller_credit_log (reseller_id, delta, balance_after, balance_before, reason,
		subscriber_id, actor_kind, actor_login) VALUES ($1, $2::bigint / 100.0, $3::bigint / 100.0, ($3::bigint - $2::bigint) / 100.0, $4, $5, $6, $7)`,
		resellerID, delta, after, reason, subscriberID, actor.Kind, actor.Login)
	if err != nil {
		return fmt.Errorf("log credits: %w", err)
	}
	return nil
}
