package store

import (
	"context"
	"fmt"
	"time"

	"canale/shared/api"
)

// ResellerCredentials is a reseller with its password hash, for sign-in only.
type ResellerCredentials struct {
	Reseller     api.Reseller
	PasswordHash string
}

// FindResellerByLogin returns the reseller with that login
// (case-insensitive) and its password hash, or CodeNotFound.
func (s *Store) FindResellerByLogin(ctx context.Context, login string) (ResellerCredentials, error) {
	var c ResellerCredentials
	r, err := scanReseller(s.pool.QueryRow(ctx, `SELECT `+resellerColumns+`, r.password_hash
		FROM resellers r WHERE lower(r.login) = lower($1)`, login), &c.PasswordHash)
	c.Reseller = r
	if err != nil {
		return c, fmt.Errorf("find reseller %q: %w", login, interpretError(err))
	}
	return c, nil
}

// CreateResellerToken stores the hash of a new bearer token for a reseller;
// tokens are hashed exactly as admin tokens are.
func (s *Store) CreateResellerToken(ctx context.Context, resellerID int64, tokenHash []byte, expires time.Time, clientIP, userAgent string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO reseller_tokens (reseller_id, token_hash, expires_at, client_ip, user_agent)
		VALUES ($1, $2, $3, $4, $5)`, resellerID, tokenHash, expires, clientIP, userAgent)
	if err != nil {
		return fmt.Errorf("create reseller token: %w", interpretError(err))
	}
	return nil
}

// FindResellerByToken returns the active reseller owning an unexpired token
// with that hash, and the token's expiry; CodeNotFound otherwise.
func (s *Store) FindResellerByToken(ctx context.Context, tokenHash []byte) (api.Reseller, time.Time, error) {
	var expires time.Time
	r, err := scanReseller(s.pool.QueryRow(ctx, `SELECT `+resellerColumns+`, t.expires_at
		FROM reseller_tokens t JOIN resellers r ON r.id = t.reseller_id
		WHERE t.token_hash = $1 AND t.expires_at > now() AND r.status = 'active'`, tokenHash), &expires)
	if err != nil {
		return r, expires, fmt.Errorf("find reseller by token: %w", interpretError(err))
	}
	return r, expires, nil
}

// DeleteResellerToken revokes one token; an unknown token is not an error.
func (s *Store) DeleteResellerToken(ctx context.Context, tokenHash []byte) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM reseller_tokens WHERE token_hash = $1`, tokenHash)
	return interpretError(err)
}

// DeleteExpiredResellerTokens removes reseller tokens past their expiry and
// returns how many went.
func (s *Store) DeleteExpiredResellerTokens(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM reseller_tokens WHERE expires_at <= now()`)
	if err != nil {
		return 0, interpretError(err)
	}
	return tag.RowsAffected(), nil
}
