package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// AdminCredentials is an admin with its password hash, for sign-in only.
type AdminCredentials struct {
	Admin        api.Admin
	PasswordHash string
}

const adminColumns = `id, login, role, disabled, totp_enabled, totp_required, created_at, updated_at`

func scanAdmin(row pgx.Row, extra ...any) (api.Admin, error) {
	var a api.Admin
	var role string
	dest := append([]any{&a.ID, &a.Login, &role, &a.Disabled, &a.TOTPEnabled, &a.TOTPRequired, &a.CreatedAt, &a.UpdatedAt}, extra...)
	err := row.Scan(dest...)
	a.Role = api.Role(role)
	return a, err
}

// FindAdminByLogin returns the admin with that login (case-insensitive) and
// its password hash. It returns CodeNotFound when there is none.
func (s *Store) FindAdminByLogin(ctx context.Context, login string) (AdminCredentials, error) {
	var c AdminCredentials
	a, err := scanAdmin(s.pool.QueryRow(ctx,
		`SELECT `+adminColumns+`, password_hash FROM admins WHERE lower(login) = lower($1)`, login), &c.PasswordHash)
	c.Admin = a
	if err != nil {
		return c, fmt.Errorf("find admin %q: %w", login, interpretError(err))
	}
	return c, nil
}

// FindAdmins returns every admin account ordered by login.
func (s *Store) FindAdmins(ctx context.Context) ([]api.Admin, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+adminColumns+` FROM admins ORDER BY lower(login)`)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []api.Admin
	for rows.Next() {
		a, err := scanAdmin(rows)
		if err != nil {
			return nil, interpretError(err)
		}
		out = append(out, a)
	}
	return out, interpretError(rows.Err())
}

// UpsertAdmin creates the admin login with the given role and password hash,
// or, when it exists, sets its password, enables it, removes its
// authenticator and revokes its tokens (a re-key must lock out whoever held
// the old password, and let in whoever lost the second factor). It reports whether
// the account was created.
func (s *Store) UpsertAdmin(ctx context.Context, actor api.Actor, login string, role api.Role, passwordHash string) (api.Admin, bool, error) {
	var a api.Admin
	var created bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		a, err = scanAdmin(tx.QueryRow(ctx, `SELECT `+adminColumns+` FROM admins WHERE lower(login) = lower($1) FOR UPDATE`, login))
		if err == pgx.ErrNoRows {
			created = true
			a, err = scanAdmin(tx.QueryRow(ctx, `INSERT INTO admins (login, role, password_hash)
				VALUES ($1, $2, $3) RETURNING `+adminColumns, strings.TrimSpace(login), string(role), passwordHash))
			if err != nil {
				return err
			}
			return writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityAdmin, a.ID, nil, a))
		}
		if err != nil {
			return err
		}
		// A re-key is the console's way back into a lost account, so it also
		// drops the authenticator: the account enrols again if TOTP is required.
		if _, err := tx.Exec(ctx, `UPDATE admins SET password_hash = $2, disabled = false, totp_secret = '', totp_pending = '',
			totp_enabled = false, totp_last_step = 0, version = version + 1, updated_at = now() WHERE id = $1`, a.ID, passwordHash); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM admin_recovery_codes WHERE admin_id = $1`, a.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM admin_tokens WHERE admin_id = $1`, a.ID); err != nil {
			return err
		}
		// Every instance closes this admin's event sockets on "rekey": the
		// tokens they were opened with no longer exist.
		return writeChange(ctx, tx, rowWrite(actor, api.OpRekey, api.EntityAdmin, a.ID, nil, nil))
	})
	if err != nil {
		return a, false, fmt.Errorf("upsert admin %q: %w", login, err)
	}
	return a, created, nil
}

// CreateAdminToken stores the hash of a new bearer token for adminID.
func (s *Store) CreateAdminToken(ctx context.Context, adminID int64, tokenHash []byte, expires time.Time, clientIP, userAgent string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO admin_tokens (admin_id, token_hash, expires_at, client_ip, user_agent)
		VALUES ($1, $2, $3, $4, $5)`, adminID, tokenHash, expires, clientIP, userAgent)
	if err != nil {
		return fmt.Errorf("create admin token: %w", interpretError(err))
	}
	return nil
}

// FindAdminByToken returns the enabled admin owning an unexpired token with
// that hash, and the token's expiry. It returns CodeNotFound otherwise.
func (s *Store) FindAdminByToken(ctx context.Context, tokenHash []byte) (api.Admin, time.Time, error) {
	var expires time.Time
	a, err := scanAdmin(s.pool.QueryRow(ctx, `SELECT a.id, a.login, a.role, a.disabled, a.totp_enabled, a.totp_required, a.created_at, a.updated_at, t.expires_at
		FROM admin_tokens t JOIN admins a ON a.id = t.admin_id
		WHERE t.token_hash = $1 AND t.expires_at > now() AND NOT a.disabled`, tokenHash), &expires)
	if err != nil {
		return a, expires, fmt.Errorf("find admin by token: %w", interpretError(err))
	}
	return a, expires, nil
}

// DeleteAdminToken revokes one token. Revoking an unknown token is not an
// error: logout is idempotent.
func (s *Store) DeleteAdminToken(ctx context.Context, tokenHash []byte) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM admin_tokens WHERE token_hash = $1`, tokenHash)
	return interpretError(err)
}

// DeleteExpiredAdminTokens removes tokens past their expiry and returns how
// many went.
func (s *Store) DeleteExpiredAdminTokens(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM admin_tokens WHERE expires_at <= now()`)
	if err != nil {
		return 0, interpretError(err)
	}
	return tag.RowsAffected(), nil
}
