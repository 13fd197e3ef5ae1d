package store

import (
	"context"
	"fmt"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// PortalSession is a subscriber's sign-in to the customer portal.
type PortalSession struct {
	SubscriberID int64
	CSRFToken    string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	ClientIP     string
	UserAgent    string
}

// CreatePortalSession stores a session under the hash of its cookie token.
func (s *Store) CreatePortalSession(ctx context.Context, tokenHash []byte, p PortalSession) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO portal_sessions (subscriber_id, token_hash, csrf_token, expires_at, client_ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6)`, p.SubscriberID, tokenHash, p.CSRFToken, p.ExpiresAt, p.ClientIP, p.UserAgent)
	if err != nil {
		return fmt.Errorf("create portal session: %w", interpretError(err))
	}
	return nil
}

// FindPortalSession returns the unexpired session with that token hash, or
// CodeNotFound.
func (s *Store) FindPortalSession(ctx context.Context, tokenHash []byte) (PortalSession, error) {
	var p PortalSession
	err := s.pool.QueryRow(ctx, `SELECT subscriber_id, csrf_token, created_at, expires_at, client_ip, user_agent
		FROM portal_sessions WHERE token_hash = $1 AND expires_at > now()`, tokenHash).
		Scan(&p.SubscriberID, &p.CSRFToken, &p.CreatedAt, &p.ExpiresAt, &p.ClientIP, &p.UserAgent)
	if err != nil {
		return p, fmt.Errorf("find portal session: %w", interpretError(err))
	}
	return p, nil
}

// FindPortalSessions returns the subscriber's unexpired sessions, newest
// first, for the account page.
func (s *Store) FindPortalSessions(ctx context.Context, subscriberID int64) ([]PortalSession, error) {
	rows, err := s.pool.Query(ctx, `SELECT subscriber_id, csrf_token, created_at, expires_at, client_ip, user_agent
		FROM portal_sessions WHERE subscriber_id = $1 AND expires_at > now() ORDER BY created_at DESC LIMIT 50`, subscriberID)
	if err != nil {
		return nil, fmt.Errorf("find portal sessions: %w", interpretError(err))
	}
	defer rows.Close()
	var out []PortalSession
	for rows.Next() {
		var p PortalSession
		if err := rows.Scan(&p.SubscriberID, &p.CSRFToken, &p.CreatedAt, &p.ExpiresAt, &p.ClientIP, &p.UserAgent); err != nil {
			return nil, fmt.Errorf("find portal sessions: %w", interpretError(err))
		}
		p.CSRFToken = "" // another session's CSRF token is nobody's business
		out = append(out, p)
	}
	return out, interpretError(rows.Err())
}

// DeletePortalSession signs a session out; an unknown one is not an error.
func (s *Store) DeletePortalSession(ctx context.Context, tokenHash []byte) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM portal_sessions WHERE token_hash = $1`, tokenHash)
	return interpretError(err)
}

// DeletePortalSessions signs the subscriber out of every browser (the
// portal's "sign out everywhere").
func (s *Store) DeletePortalSessions(ctx context.Context, subscriberID int64) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM portal_sessions WHERE subscriber_id = $1`, subscriberID)
	if err != nil {
		return fmt.Errorf("delete portal sessions of subscriber %d: %w", subscriberID, interpretError(err))
	}
	return nil
}

// endPortalSessions signs a subscriber out of the portal everywhere when
// its password changes or it loses access (disabled or banned): a session
// must not outlive what let it in. It runs in the transaction of the change.
func endPortalSessions(ctx context.Context, tx pgx.Tx, id int64, status string, passwordChanged bool) error {
	if !passwordChanged && status == api.StatusActive {
		return nil
	}
	_, err := tx.Exec(ctx, `DELETE FROM portal_sessions WHERE subscriber_id = $1`, id)
	return err
}

// DeleteExpiredPortalSessions removes sessions past their expiry.
func (s *Store) DeleteExpiredPortalSessions(ctx context.Context) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM portal_sessions WHERE expires_at <= now()`)
	if err != nil {
		return 0, interpretError(err)
	}
	return tag.RowsAffected(), nil
}
