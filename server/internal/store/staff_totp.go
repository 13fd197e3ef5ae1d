package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// AdminTOTP is an account's second-factor state, for sign-in and enrolment
// only: no answer of the API carries Secret or Pending.
type AdminTOTP struct {
	Enabled  bool
	Secret   string // the enrolled secret (base32)
	Pending  string // the secret offered at enrolment, not yet confirmed
	LastStep int64  // the time step of the last code accepted
}

// FindAdminTOTP returns the second-factor state of account id, or CodeNotFound.
func (s *Store) FindAdminTOTP(ctx context.Context, id int64) (AdminTOTP, error) {
	var t AdminTOTP
	err := s.pool.QueryRow(ctx, `SELECT totp_enabled, totp_secret, totp_pending, totp_last_step FROM admins WHERE id = $1`, id).
		Scan(&t.Enabled, &t.Secret, &t.Pending, &t.LastStep)
	if err != nil {
		return t, fmt.Errorf("find admin %d totp: %w", id, interpretError(err))
	}
	return t, nil
}

// BeginAdminTOTP offers secret to account id; it takes effect only when
// ConfirmAdminTOTP proves the authenticator holds it. It returns CodeConflict
// when the account has enrolled already (reset it first).
func (s *Store) BeginAdminTOTP(ctx context.Context, actor api.Actor, id int64, secret string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE admins SET totp_pending = $2 WHERE id = $1 AND NOT totp_enabled`, id, secret)
	if err != nil {
		return fmt.Errorf("begin admin %d totp: %w", id, interpretError(err))
	}
	if tag.RowsAffected() == 0 {
		return api.Errorf(api.CodeConflict, "two-factor sign-in is already set up; reset it first")
	}
	return nil
}

// ConfirmAdminTOTP enrols the pending secret (when it is still pending), marks
// step as used and replaces the account's recovery codes with codeHashes. It
// returns CodeConflict when the pending secret changed meanwhile.
func (s *Store) ConfirmAdminTOTP(ctx context.Context, actor api.Actor, id int64, secret string, step int64, codeHashes [][]byte) (api.Admin, error) {
	return s.changeAdmin(ctx, actor, id, "enable_totp", func(tx pgx.Tx, before api.Admin) (api.Admin, error) {
		a, err := scanAdmin(tx.QueryRow(ctx, `UPDATE admins SET totp_secret = totp_pending, totp_pending = '', totp_enabled = true,
			totp_last_step = $3, version = version + 1, updated_at = now()
			WHERE id = $1 AND totp_pending = $2 AND totp_pending <> '' AND NOT totp_enabled RETURNING `+adminColumns, id, secret, step))
		if err == pgx.ErrNoRows {
			return before, api.Errorf(api.CodeConflict, "the enrolment was restarted or finished elsewhere; start again")
		}
		if err != nil {
			return before, err
		}
		return a, replaceRecoveryCodes(ctx, tx, id, codeHashes)
	})
}

func replaceRecoveryCodes(ctx context.Context, tx pgx.Tx, id int64, codeHashes [][]byte) error {
	if _, err := tx.Exec(ctx, `DELETE FROM admin_recovery_codes WHERE admin_id = $1`, id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO admin_recovery_codes (admin_id, code_hash) SELECT $1, unnest($2::bytea[])`, id, codeHashes)
	return err
}

// ResetAdminTOTP removes the account's authenticator and recovery codes: the
// owner's own choice, or an admin's help after a lost device. The account
// signs in with its password alone until it enrols again (and, if TOTP is
// required, can reach nothing but enrolment until then).
func (s *Store) ResetAdminTOTP(ctx context.Context, actor api.Actor, id int64) (api.Admin, error) {
	return s.changeAdmin(ctx, actor, id, "reset_totp", func(tx pgx.Tx, _ api.Admin) (api.Admin, error) {
		if _, err := tx.Exec(ctx, `DELETE FROM admin_recovery_codes WHERE admin_id = $1`, id); err != nil {
			return api.Admin{}, err
		}
		return scanAdmin(tx.QueryRow(ctx, `UPDATE admins SET totp_secret = '', totp_pending = '', totp_enabled = false,
			totp_last_step = 0, version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+adminColumns, id))
	})
}

// UseAdminTOTPStep records that a code of time step was accepted, and reports
// false when that step or a later one was used already: a code seen once
// (by an eavesdropper too) cannot sign in again within its window.
func (s *Store) UseAdminTOTPStep(ctx context.Context, id, step int64) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE admins SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, id, step)
	if err != nil {
		return false, fmt.Errorf("use admin %d totp step: %w", id, interpretError(err))
	}
	return tag.RowsAffected() == 1, nil
}

// UseAdminRecoveryCode spends the unused recovery code with that hash and
// reports whether there was one.
func (s *Store) UseAdminRecoveryCode(ctx context.Context, id int64, codeHash []byte) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE admin_recovery_codes SET used_at = now()
		WHERE admin_id = $1 AND code_hash = $2 AND used_at IS NULL`, id, codeHash)
	if err != nil {
		return false, fmt.Errorf("use admin %d recovery code: %w", id, interpretError(err))
	}
	return tag.RowsAffected() == 1, nil
}
