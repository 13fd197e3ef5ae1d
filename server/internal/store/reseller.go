package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// resellerColumns reads credits and prices as int64 minor units (api's
// money.go): numeric(30,2) times 100 is a whole number, so the cast is exact.
const resellerColumns = `r.id, r.login, r.name, r.contact, (r.credits * 100)::bigint, r.parent_id, r.status, r.notes, r.attributes,
	r.version, r.created_at, r.updated_at,
	coalesce((SELECT json_agg(json_build_object('package_id', rp.package_id, 'price_credits_minor', (rp.price_credits * 100)::bigint)
		ORDER BY rp.package_id) FROM reseller_packages rp WHERE rp.reseller_id = r.id), '[]')`

func scanReseller(row pgx.Row, extra ...any) (api.Reseller, error) {
	var r api.Reseller
	var attrs, pkgs []byte
	dest := append([]any{&r.ID, &r.Login, &r.Name, &r.Contact, &r.CreditsMinor, &r.ParentID, &r.Status, &r.Notes, &attrs,
		&r.Version, &r.CreatedAt, &r.UpdatedAt, &pkgs}, extra...)
	if err := row.Scan(dest...); err != nil {
		return r, err
	}
	r.Attributes = json.RawMessage(attrs)
	if err := json.Unmarshal(pkgs, &r.Packages); err != nil {
		return r, fmt.Errorf("decode reseller packages: %w", err)
	}
	return r, nil
}

// FindResellerByID returns one reseller, or CodeNotFound.
func (s *Store) FindResellerByID(ctx context.Context, id int64) (api.Reseller, error) {
	r, err := scanReseller(s.pool.QueryRow(ctx, `SELECT `+resellerColumns+` FROM resellers r WHERE r.id = $1`, id))
	if err != nil {
		return r, fmt.Errorf("find reseller %d: %w", id, interpretError(err))
	}
	return r, nil
}

// FindResellers returns one page of resellers ordered by id. Resellers are
// few (hundreds), but the list pages by keyset like every other.
func (s *Store) FindResellers(ctx context.Context, f api.ResellerFilter, p api.ListParams) (api.Page[api.Reseller], error) {
	q := listQuery{selectFrom: `SELECT ` + resellerColumns + ` FROM resellers r`, idExpr: "r.id",
		search: []string{"lower(r.login)", "lower(r.name)"}, defaultSort: "id", sorts: map[string]sortKey{
			"id": {expr: "r.id", cast: "bigint", key: func(v any) string { return fmt.Sprint(v.(api.Reseller).ID) }},
		}}
	if f.ParentID != 0 {
		q.filter("r.parent_id = %s", f.ParentID)
	}
	if f.Status != "" {
		q.filter("r.status = %s", f.Status)
	}
	page, err := findPage(ctx, s.pool, q, p, func(r pgx.Row) (api.Reseller, error) { return scanReseller(r) },
		func(r api.Reseller) int64 { return r.ID })
	if err != nil {
		return page, fmt.Errorf("find resellers: %w", err)
	}
	return page, nil
}

// CreateReseller creates a reseller with the given password hash. Opening
// credits are logged as the first entry of its credit log. It returns
// CodeConflict naming "login" when the login is taken and CodeInvalid for
// an unknown package or parent.
func (s *Store) CreateReseller(ctx context.Context, actor api.Actor, r api.Reseller, passwordHash string) (api.Reseller, error) {
	var out api.Reseller
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		normalizeReseller(&r)
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO resellers (login, password_hash, name, contact, credits, parent_id, status, notes, attributes)
			VALUES ($1, $2, $3, $4, $5::bigint / 100.0, $6, $7, $8, $9) RETURNING id`,
			r.Login, passwordHash, r.Name, r.Contact, r.CreditsMinor, r.ParentID, r.Status, r.Notes, []byte(r.Attributes)).Scan(&id)
		if err != nil {
			return interpretResellerError(err)
		}
		if err := setResellerPackages(ctx, tx, id, r.Packages); err != nil {
			return err
		}
		if r.CreditsMinor != 0 {
			if err := logCredits(ctx, tx, actor, id, r.CreditsMinor, r.CreditsMinor, "opening credits", nil); err != nil {
				return err
			}
		}
		out, err = finishResellerChange(ctx, tx, actor, "create", id, nil)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("create reseller %q: %w", r.Login, err)
	}
	return out, nil
}

func normalizeReseller(r *api.Reseller) {
	r.Login = strings.TrimSpace(r.Login)
	if r.Status == "" {
		r.Status = api.ResellerActive
	}
	if len(r.Attributes) == 0 {
		r.Attributes = json.RawMessage(`{}`)
	}
	if r.ParentID != nil && *r.ParentID == 0 {
		r.ParentID = nil
	}
}

func interpretResellerError(err error) error {
	err = interpretError(err)
	if api.ErrorCode(err) == api.CodeConflict && strings.Contains(err.Error(), "resellers_parent_id_fkey") {
		return &api.Error{Code: api.CodeInvalid, Message: "unknown parent", Fields: map[string]string{"parent_id": "no such reseller"}}
	}
	return err
}

func setResellerPackages(ctx context.Context, tx pgx.Tx, id int64, pkgs []api.ResellerPackage) error {
	if _, err := tx.Exec(ctx, `DELETE FROM reseller_packages WHERE reseller_id = $1`, id); err != nil {
		return err
	}
	for _, p := range pkgs {
		_, err := tx.Exec(ctx, `INSERT INTO reseller_packages (reseller_id, package_id, price_credits) VALUES ($1, $2, $3::bigint / 100.0)`,
			id, p.PackageID, p.PriceCreditsMinor)
		if api.ErrorCode(interpretError(err)) == api.CodeConflict {
			return &api.Error{Code: api.CodeInvalid, Message: "unknown package",
				Fields: map[string]string{"packages": fmt.Sprintf("package %d does not exist", p.PackageID)}}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func finishResellerChange(ctx context.Context, tx pgx.Tx, actor api.Actor, action api.Op, id int64, before any) (api.Reseller, error) {
	after, err := scanReseller(tx.QueryRow(ctx, `SELECT `+resellerColumns+` FROM resellers r WHERE r.id = $1`, id))
	if err != nil {
		return after, err
	}
	op := api.OpUpdate
	if action == api.OpCreate {
		op = api.OpCreate
	}
	return after, writeChange(ctx, tx, rowWrite(actor, op, api.EntityReseller, id, before, after).as(action))
}

// UpdateReseller applies a partial change; newPasswordHash, when not empty,
// replaces the password and signs the reseller out everywhere. It returns
// CodeConflict naming "version" for a stale version and CodeNotFound.
func (s *Store) UpdateReseller(ctx context.Context, actor api.Actor, id int64, upd api.ResellerUpdate, newPasswordHash string) (api.Reseller, error) {
	var out api.Reseller
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := scanReseller(tx.QueryRow(ctx, `SELECT `+resellerColumns+` FROM resellers r WHERE r.id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if err := checkVersion("reseller", id, before.Version, upd.Version); err != nil {
			return err
		}
		r := applyResellerUpdate(before, upd)
		if r.ParentID != nil && *r.ParentID == id {
			return &api.Error{Code: api.CodeInvalid, Message: "a reseller cannot be its own parent", Fields: map[string]string{"parent_id": "is this reseller"}}
		}
		_, err = tx.Exec(ctx, `UPDATE resellers SET login = $2, name = $3, contact = $4, parent_id = $5, status = $6,
				notes = $7, attributes = $8, password_hash = CASE WHEN $9 = '' THEN password_hash ELSE $9 END,
				version = version + 1, updated_at = now() WHERE id = $1`,
			id, r.Login, r.Name, r.Contact, r.ParentID, r.Status, r.Notes, []byte(r.Attributes), newPasswordHash)
		if err != nil {
			return interpretResellerError(err)
		}
		if err := revokeIfNeeded(ctx, tx, id, newPasswordHash != "" || r.Status != api.ResellerActive); err != nil {
			return err
		}
		if upd.Packages != nil {
			if err := setResellerPackages(ctx, tx, id, r.Packages); err != nil {
				return err
			}
		}
		out, err = finishResellerChange(ctx, tx, actor, "update", id, before)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("update reseller %d: %w", id, err)
	}
	return out, nil
}

func revokeIfNeeded(ctx context.Context, tx pgx.Tx, id int64, revoke bool) error {
	if !revoke {
		return nil
	}
	_, err := tx.Exec(ctx, `DELETE FROM reseller_tokens WHERE reseller_id = $1`, id)
	return err
}

func applyResellerUpdate(r api.Reseller, u api.ResellerUpdate) api.Reseller {
	set(&r.Login, u.Login)
	set(&r.Name, u.Name)
	set(&r.Contact, u.Contact)
	set(&r.Status, u.Status)
	set(&r.Notes, u.Notes)
	set(&r.Attributes, u.Attributes)
	set(&r.Packages, u.Packages)
	if u.ParentID != nil {
		r.ParentID = u.ParentID
	}
	normalizeReseller(&r)
	return r
}

// DeleteReseller deletes a reseller. It returns CodeConflict while
// subscribers or sub-resellers still belong to it, and CodeNotFound.
func (s *Store) DeleteReseller(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := scanReseller(tx.QueryRow(ctx, `SELECT `+resellerColumns+` FROM resellers r WHERE r.id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM resellers WHERE id = $1`, id); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntityReseller, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete reseller %d: %w", id, err)
	}
	return nil
}

// ChangeResellerCredits adds (or, when negative, takes) credits, logged with
// the reason. A deduction below zero is CodeConflict naming "credits".
func (s *Store) ChangeResellerCredits(ctx context.Context, actor api.Actor, id int64, ch api.CreditChange) (api.Reseller, error) {
	var out api.Reseller
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := scanReseller(tx.QueryRow(ctx, `SELECT `+resellerColumns+` FROM resellers r WHERE r.id = $1`, id))
		if err != nil {
			return err
		}
		if ch.DeltaMinor < 0 {
			err = debitCredits(ctx, tx, actor, id, -ch.DeltaMinor, ch.Reason, nil)
		} else {
			err = creditCredits(ctx, tx, actor, id, ch.DeltaMinor, ch.Reason)
		}
		if err != nil {
			return err
		}
		out, err = finishResellerChange(ctx, tx, actor, "credits", id, before)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("change credits of reseller %d: %w", id, err)
	}
	return out, nil
}

// creditCredits adds amount (minor units) to a reseller's credits and logs
// it. A balance that would pass api.MaxCreditsMinor is CodeConflict naming
// "credits", checked in the UPDATE so no sum ever overflows.
func creditCredits(ctx context.Context, tx pgx.Tx, actor api.Actor, id int64, amount int64, reason string) error {
	var after int64
	err := tx.QueryRow(ctx, `UPDATE resellers SET credits = credits + $1::bigint / 100.0
		WHERE id = $2 AND credits * 100 <= $3::bigint - $1::bigint RETURNING (credits * 100)::bigint`,
		amount, id, api.MaxCreditsMinor).Scan(&after)
	if err == pgx.ErrNoRows { // every caller has found the reseller first
		return &api.Error{Code: api.CodeConflict, Message: "credits would pass the most Canale holds, " + api.FormatCredits(api.MaxCreditsMinor),
			Fields: map[string]string{"credits": "would exceed " + api.FormatCredits(api.MaxCreditsMinor)}}
	}
	if err != nil {
		return err
	}
	return logCredits(ctx, tx, actor, id, amount, after, reason, nil)
}

// FindCreditLog returns one page of a reseller's credit changes, newest
// first. It pages by id (keyset) and returns CodeInvalid naming "cursor"
// for a cursor that is not from a previous page of a credit log.
func (s *Store) FindCreditLog(ctx context.Context, resellerID int64, p api.ListParams) (api.Page[api.CreditLogEntry], error) {
	q := listQuery{selectFrom: `SELECT l.id, l.reseller_id, l.at, (l.delta * 100)::bigint,
			(coalesce(l.balance_before, l.balance_after - l.delta) * 100)::bigint, (l.balance_after * 100)::bigint,
			l.reason, l.subscriber_id, l.actor_kind, l.actor_login
		FROM reseller_credit_log l`, idExpr: "l.id"}
	q.filter(`l.reseller_id = %s`, resellerID)
	page, err := findNewestFirst(ctx, s.pool, q, p, scanCreditLogEntry, func(e api.CreditLogEntry) int64 { return e.ID })
	if err != nil {
		return page, fmt.Errorf("find credit log: %w", err)
	}
	return page, nil
}

func scanCreditLogEntry(row pgx.Row) (api.CreditLogEntry, error) {
	var e api.CreditLogEntry
	err := row.Scan(&e.ID, &e.ResellerID, &e.At, &e.DeltaMinor, &e.BalanceBeforeMinor, &e.BalanceAfterMinor, &e.Reason,
		&e.SubscriberID, &e.ActorKind, &e.ActorLogin)
	return e, err
}
