package store

import (
	"context"
	"fmt"
	"strings"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// FindAdminByID returns one staff account, or CodeNotFound.
func (s *Store) FindAdminByID(ctx context.Context, id int64) (api.Admin, error) {
	a, err := scanAdmin(s.pool.QueryRow(ctx, `SELECT `+adminColumns+` FROM admins WHERE id = $1`, id))
	if err != nil {
		return a, fmt.Errorf("find admin %d: %w", id, interpretError(err))
	}
	return a, nil
}

// CreateAdmin creates a staff account. It returns CodeInvalid for bad fields
// and CodeConflict when the login is taken (logins are case-insensitive).
func (s *Store) CreateAdmin(ctx context.Context, actor api.Actor, in api.AdminCreate, passwordHash string) (api.Admin, error) {
	if err := in.Validate(); err != nil {
		return api.Admin{}, err
	}
	var a api.Admin
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		a, err = scanAdmin(tx.QueryRow(ctx, `INSERT INTO admins (login, role, password_hash, totp_required)
			VALUES ($1, $2, $3, $4) RETURNING `+adminColumns, strings.TrimSpace(in.Login), string(in.Role), passwordHash, in.TOTPRequired))
		if err != nil {
			return err
		}
		return writeAdminChange(ctx, tx, actor, "create", api.Admin{}, a)
	})
	if err != nil {
		return a, fmt.Errorf("create admin %q: %w", in.Login, interpretError(err))
	}
	return a, nil
}

// UpdateAdmin changes an account's role or TOTP requirement. It returns
// CodeForbidden when the change would leave no active admin or demote the
// actor, and CodeNotFound for an unknown id.
func (s *Store) UpdateAdmin(ctx context.Context, actor api.Actor, id int64, u api.AdminUpdate) (api.Admin, error) {
	if err := u.Validate(); err != nil {
		return api.Admin{}, err
	}
	return s.changeAdmin(ctx, actor, id, "update", func(tx pgx.Tx, before api.Admin) (api.Admin, error) {
		after := before
		set(&after.Role, u.Role)
		set(&after.TOTPRequired, u.TOTPRequired)
		if before.Role == api.RoleAdmin && after.Role != api.RoleAdmin {
			if err := keepAnAdmin(ctx, tx, actor, before, "role"); err != nil {
				return after, err
			}
		}
		return scanAdmin(tx.QueryRow(ctx, `UPDATE admins SET role = $2, totp_required = $3, version = version + 1,
			updated_at = now() WHERE id = $1 RETURNING `+adminColumns, id, string(after.Role), after.TOTPRequired))
	})
}

// SetAdminDisabled disables (revoking every token) or enables an account. It
// returns CodeForbidden for the actor's own account and for the last active
// admin.
func (s *Store) SetAdminDisabled(ctx context.Context, actor api.Actor, id int64, disabled bool) (api.Admin, error) {
	action := map[bool]api.Op{true: api.OpDisable, false: api.OpEnable}[disabled]
	return s.changeAdmin(ctx, actor, id, action, func(tx pgx.Tx, before api.Admin) (api.Admin, error) {
		if disabled {
			if err := keepAnAdmin(ctx, tx, actor, before, "disabled"); err != nil {
				return before, err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM admin_tokens WHERE admin_id = $1`, id); err != nil {
				return before, err
			}
		}
		return scanAdmin(tx.QueryRow(ctx, `UPDATE admins SET disabled = $2, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+adminColumns, id, disabled))
	})
}

// DeleteAdmin deletes an account and its tokens. It returns CodeForbidden
// for the actor's own account and for the last active admin.
func (s *Store) DeleteAdmin(ctx context.Context, actor api.Actor, id int64) error {
	_, err := s.changeAdmin(ctx, actor, id, "delete", func(tx pgx.Tx, before api.Admin) (api.Admin, error) {
		if err := keepAnAdmin(ctx, tx, actor, before, "id"); err != nil {
			return before, err
		}
		_, err := tx.Exec(ctx, `DELETE FROM admins WHERE id = $1`, id)
		return api.Admin{}, err
	})
	return err
}

// changeAdmin locks the account, applies change, and records the audit entry
// and the change event. The event of every action but create is "rekey", on
// which each instance closes the account's event sockets whose token is gone.
func (s *Store) changeAdmin(ctx context.Context, actor api.Actor, id int64, action api.Op,
	change func(pgx.Tx, api.Admin) (api.Admin, error)) (api.Admin, error) {
	var after api.Admin
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := scanAdmin(tx.QueryRow(ctx, `SELECT `+adminColumns+` FROM admins WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if after, err = change(tx, before); err != nil {
			return err
		}
		return writeAdminChange(ctx, tx, actor, action, before, after)
	})
	if err != nil {
		return after, fmt.Errorf("%s admin %d: %w", action, id, interpretError(err))
	}
	return after, nil
}

func writeAdminChange(ctx context.Context, tx pgx.Tx, actor api.Actor, action api.Op, before, after api.Admin) error {
	id := after.ID
	var b, a any = before, after
	if before.ID == 0 {
		b = nil
	}
	if after.ID == 0 {
		id, a = before.ID, nil
	}
	op := api.OpRekey
	if action == api.OpCreate {
		op = api.OpCreate
	}
	return writeChange(ctx, tx, rowWrite(actor, op, api.EntityAdmin, id, b, a).as(action))
}

// keepAnAdmin refuses a change that takes target out of the active admins
// when it is the actor's own account or the last active admin. The active
// admins are locked, so two admins disabling each other at once cannot both
// succeed.
func keepAnAdmin(ctx context.Context, tx pgx.Tx, actor api.Actor, target api.Admin, field string) error {
	if actor.Kind == api.KindAdmin && actor.ID == target.ID {
		return &api.Error{Code: api.CodeForbidden, Message: "you cannot do this to your own account",
			Fields: map[string]string{field: "not on your own account"}}
	}
	if target.Role != api.RoleAdmin || target.Disabled {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT id FROM admins WHERE role = 'admin' AND NOT disabled FOR UPDATE`)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	if len(ids) <= 1 {
		return &api.Error{Code: api.CodeForbidden, Message: "this is the last active admin; create or enable another first",
			Fields: map[string]string{field: "last active admin"}}
	}
	return nil
}
