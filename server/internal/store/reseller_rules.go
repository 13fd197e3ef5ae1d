package store

import (
	"context"
	"fmt"
	"unicode/utf8"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// Entity and op names of the reseller business (issue 18), kept untyped
// here until the lead folds them into the shared vocabulary.
const (
	entityResellerRules = "reseller_rules"
	actionTrial         = "trial"
	actionTransfer      = "transfer"
)

const resellerRulesColumns = `trials_per_day, trials_per_month, trial_package_id, trial_hours, may_create_resellers,
	max_depth, min_login_length, min_password_length, may_kill_connections, dns, refund_unused_on_delete`

// findResellerRules returns the operator's rules for a reseller, or the
// defaults (api.DefaultResellerRules) when none are set. CodeNotFound when
// the reseller does not exist.
func findResellerRules(ctx context.Context, q querier, id int64) (api.ResellerRules, error) {
	d := api.DefaultResellerRules(id)
	r := d
	err := q.QueryRow(ctx, `SELECT coalesce(trials_per_day, $2), coalesce(trials_per_month, $3), trial_package_id,
			coalesce(trial_hours, $4), coalesce(may_create_resellers, $5), coalesce(max_depth, $6),
			coalesce(min_login_length, $7), coalesce(min_password_length, $8), coalesce(may_kill_connections, $9),
			coalesce(dns, $10), coalesce(refund_unused_on_delete, $11)
		FROM resellers LEFT JOIN reseller_rules ON reseller_id = resellers.id WHERE resellers.id = $1`,
		id, d.TrialsPerDay, d.TrialsPerMonth, d.TrialHours, d.MayCreateResellers, d.MaxDepth, d.MinLoginLength,
		d.MinPasswordLength, d.MayKillConnections, d.DNS, d.RefundUnusedOnDelete).Scan(
		&r.TrialsPerDay, &r.TrialsPerMonth, &r.TrialPackageID, &r.TrialHours, &r.MayCreateResellers, &r.MaxDepth,
		&r.MinLoginLength, &r.MinPasswordLength, &r.MayKillConnections, &r.DNS, &r.RefundUnusedOnDelete)
	if err != nil {
		return r, fmt.Errorf("find rules of reseller %d: %w", id, interpretError(err))
	}
	return r, nil
}

// FindResellerRules returns the operator's rules for reseller id (the
// defaults when none were set), or CodeNotFound.
func (s *Store) FindResellerRules(ctx context.Context, id int64) (api.ResellerRules, error) {
	return findResellerRules(ctx, s.pool, id)
}

// SetResellerRules replaces the operator's rules for r.ResellerID. It
// returns CodeNotFound for an unknown reseller and CodeInvalid naming
// "trial_package_id" for an unknown package.
func (s *Store) SetResellerRules(ctx context.Context, actor api.Actor, r api.ResellerRules) (api.ResellerRules, error) {
	var out api.ResellerRules
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findResellerRules(ctx, tx, r.ResellerID)
		if err != nil {
			return err
		}
		if err := upsertResellerRules(ctx, tx, r); err != nil {
			return err
		}
		if out, err = findResellerRules(ctx, tx, r.ResellerID); err != nil {
			return err
		}
		// Audited as the reseller's rules, announced as a change of the
		// reseller: the read model keeps each reseller's DNS for its
		// customers' links.
		w := rowWrite(actor, api.OpUpdate, api.EntityReseller, r.ResellerID, before, out)
		w.entity = entityResellerRules
		return writeChange(ctx, tx, w)
	})
	if err != nil {
		return out, fmt.Errorf("set rules of reseller %d: %w", r.ResellerID, err)
	}
	return out, nil
}

func upsertResellerRules(ctx context.Context, tx pgx.Tx, r api.ResellerRules) error {
	_, err := tx.Exec(ctx, `INSERT INTO reseller_rules (reseller_id, `+resellerRulesColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (reseller_id) DO UPDATE SET trials_per_day = $2, trials_per_month = $3, trial_package_id = $4,
			trial_hours = $5, may_create_resellers = $6, max_depth = $7, min_login_length = $8,
			min_password_length = $9, may_kill_connections = $10, dns = $11, refund_unused_on_delete = $12`,
		r.ResellerID, r.TrialsPerDay, r.TrialsPerMonth, r.TrialPackageID, r.TrialHours, r.MayCreateResellers,
		r.MaxDepth, r.MinLoginLength, r.MinPasswordLength, r.MayKillConnections, r.DNS, r.RefundUnusedOnDelete)
	if api.ErrorCode(interpretError(err)) == api.CodeConflict {
		return &api.Error{Code: api.CodeInvalid, Message: "unknown trial package",
			Fields: map[string]string{"trial_package_id": "no such package"}}
	}
	return err
}

// checkCredentialLengths holds a reseller's new login and password to the
// operator's minimum lengths. password is nil or empty when the caller
// passes only a hash (the surfaces pass the plain password too, which the
// store only counts: the hash is what it keeps).
func checkCredentialLengths(r api.ResellerRules, login string, password *string) error {
	if password != nil && *password == "" {
		password = nil
	}
	if utf8.RuneCountInString(login) < r.MinLoginLength {
		return forbidden("login", fmt.Sprintf("must be at least %d characters", r.MinLoginLength))
	}
	if password != nil && utf8.RuneCountInString(*password) < r.MinPasswordLength {
		return forbidden("password", fmt.Sprintf("must be at least %d characters", r.MinPasswordLength))
	}
	return nil
}

// CreateTrial makes a free trial line for the reseller actor: flagged
// trial, on the reseller's trial package, expiring after its trial hours.
// The reseller's row is locked first, so concurrent trials queue and the
// quota (per UTC day and month) is counted exactly. A reseller without a
// quota gets CodeForbidden naming "trial"; one over it CodeConflict naming
// "trials_per_day" or "trials_per_month"; a request that breaks
// api.TrialRequest.Validate CodeInvalid naming the field. req.Password is
// hashed only once every check has passed (hashChecked).
func (s *Store) CreateTrial(ctx context.Context, actor api.Actor, req api.TrialRequest) (api.Subscriber, error) {
	var out api.Subscriber
	err := s.writeWithPassword(ctx, &req.Password, func(tx pgx.Tx) error {
		_, err := checkTrial(ctx, tx, actor, req)
		return err
	}, func(tx pgx.Tx, hash string) error {
		rules, err := checkTrial(ctx, tx, actor, req)
		if err != nil {
			return err
		}
		sub := api.Subscriber{Login: req.Login, Name: req.Name, Notes: req.Notes, ResellerID: &actor.ID, Trial: true,
			PackageIDs: []int64{*rules.TrialPackageID}, MaxSessions: 1}
		normalizeSubscriber(&sub)
		if err := tx.QueryRow(ctx, `SELECT now() + make_interval(hours => $1)`, rules.TrialHours).Scan(&sub.ExpiresAt); err != nil {
			return err
		}
		id, err := insertSubscriber(ctx, tx, sub, hash)
		if err != nil {
			return err
		}
		out, err = finishSubscriberCreate(ctx, tx, actor, id)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("create trial %q: %w", req.Login, err)
	}
	return out, nil
}

// checkTrial locks the reseller actor's row and checks a trial it asks
// for: the request, the quota and the rules' lengths. It returns the rules.
func checkTrial(ctx context.Context, tx pgx.Tx, actor api.Actor, req api.TrialRequest) (api.ResellerRules, error) {
	if err := req.Validate(); err != nil {
		return api.ResellerRules{}, err
	}
	if actor.Kind != api.KindReseller {
		return api.ResellerRules{}, forbidden("trial", "trial lines are a reseller's; operators create subscribers directly")
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM resellers WHERE id = $1 FOR UPDATE`, actor.ID); err != nil {
		return api.ResellerRules{}, err
	}
	rules, err := findResellerRules(ctx, tx, actor.ID)
	if err != nil {
		return rules, err
	}
	if err := checkTrialQuota(ctx, tx, rules); err != nil {
		return rules, err
	}
	return rules, checkCredentialLengths(rules, req.Login, &req.Password)
}

func checkTrialQuota(ctx context.Context, tx pgx.Tx, r api.ResellerRules) error {
	if r.TrialPackageID == nil || r.TrialsPerDay == 0 || r.TrialsPerMonth == 0 {
		return forbidden("trial", "the operator has not allowed you trial lines")
	}
	var today, month int
	err := tx.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
			count(*)
		FROM subscribers WHERE trial AND reseller_id = $1
			AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
		r.ResellerID).Scan(&today, &month)
	if err != nil {
		return err
	}
	// A converted trial no longer counts: it was paid for, and the quota
	// guards against free lines only.
	switch {
	case today >= r.TrialsPerDay:
		return &api.Error{Code: api.CodeConflict, Message: fmt.Sprintf("trial quota reached: %d today", today),
			Fields: map[string]string{"trials_per_day": fmt.Sprintf("%d of %d used", today, r.TrialsPerDay)}}
	case month >= r.TrialsPerMonth:
		return &api.Error{Code: api.CodeConflict, Message: fmt.Sprintf("trial quota reached: %d this month", month),
			Fields: map[string]string{"trials_per_month": fmt.Sprintf("%d of %d used", month, r.TrialsPerMonth)}}
	}
	return nil
}

// convertTrial makes a trial line a paid one when a period is bought for it
// (the package is already added and charged): the paid period starts now,
// not at the end of the free hours, and the trial package goes unless it is
// the one bought.
func convertTrial(ctx context.Context, tx pgx.Tx, before api.Subscriber, bought int64, days int) error {
	if before.ResellerID != nil {
		rules, err := findResellerRules(ctx, tx, *before.ResellerID)
		if err != nil {
			return err
		}
		if rules.TrialPackageID != nil && *rules.TrialPackageID != bought {
			if _, err := tx.Exec(ctx, `DELETE FROM subscriber_packages WHERE subscriber_id = $1 AND package_id = $2`,
				before.ID, *rules.TrialPackageID); err != nil {
				return err
			}
		}
	}
	_, err := tx.Exec(ctx, `UPDATE subscribers SET trial = false, expires_at = now() + make_interval(days => $2),
		version = version + 1, updated_at = now() WHERE id = $1`, before.ID, days)
	return err
}

// refundUnused gives a reseller back, when the operator's rules say so and
// it deletes a paid line, the unused share of what the line's packages
// cost it: their prices times the time left over the longest period, never
// more than the prices, rounded down to the minor unit so a refund can
// never return more than was paid. It runs in the delete's transaction.
func refundUnused(ctx context.Context, tx pgx.Tx, actor api.Actor, before api.Subscriber) error {
	if actor.Kind != api.KindReseller || before.Trial || before.ExpiresAt == nil {
		return nil
	}
	rules, err := findResellerRules(ctx, tx, actor.ID)
	if err != nil || !rules.RefundUnusedOnDelete {
		return err
	}
	var refund int64
	err = tx.QueryRow(ctx, `SELECT coalesce(floor(least(1, greatest(0,
			extract(epoch FROM $3::timestamptz - now()) / nullif(max(p.period_days) * 86400, 0)))
			* sum(rp.price_credits) * 100), 0)::bigint
		FROM subscriber_packages sp JOIN packages p ON p.id = sp.package_id
		JOIN reseller_packages rp ON rp.package_id = sp.package_id AND rp.reseller_id = $2
		WHERE sp.subscriber_id = $1`, before.ID, actor.ID, *before.ExpiresAt).Scan(&refund)
	if err != nil || refund <= 0 {
		return err
	}
	return creditCredits(ctx, tx, actor, actor.ID, refund, "refund of unused time of "+before.Login)
}

// checkResellerKill lets a reseller end only its own customers' sessions,
// and only when the operator allows it; any other session is CodeNotFound.
func checkResellerKill(ctx context.Context, tx pgx.Tx, actor api.Actor, sessionID int64) error {
	if actor.Kind != api.KindReseller {
		return nil
	}
	rules, err := findResellerRules(ctx, tx, actor.ID)
	if err != nil {
		return err
	}
	if !rules.MayKillConnections {
		return forbidden("may_kill_connections", "the operator has not allowed you to end connections")
	}
	var owned bool
	err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM play_sessions ps JOIN subscribers s ON s.id = ps.subscriber_id
		WHERE ps.id = $1 AND s.reseller_id = $2)`, sessionID, actor.ID).Scan(&owned)
	if err == nil && !owned {
		err = api.Errorf(api.CodeNotFound, "no such session")
	}
	return err
}
