package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// GetACME returns the autocert cache entry key, CodeNotFound when absent.
func (s *Store) GetACME(ctx context.Context, key string) ([]byte, error) {
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM acme_cache WHERE key = $1`, key).Scan(&data)
	if err != nil {
		return nil, fmt.Errorf("get acme %s: %w", key, interpretError(err))
	}
	return data, nil
}

// PutACME stores an autocert cache entry.
func (s *Store) PutACME(ctx context.Context, key string, data []byte) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO acme_cache (key, data) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`, key, data)
	return interpretError(err)
}

// DeleteACME removes an autocert cache entry.
func (s *Store) DeleteACME(ctx context.Context, key string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM acme_cache WHERE key = $1`, key)
	return interpretError(err)
}

// FindTLSState returns the Let's Encrypt settings (disabled when never set).
func (s *Store) FindTLSState(ctx context.Context) (api.TLSStatus, error) {
	var st api.TLSStatus
	err := s.pool.QueryRow(ctx, `SELECT enabled, domain, email, last_error FROM acme_state WHERE id = 1`).
		Scan(&st.Enabled, &st.Domain, &st.Email, &st.LastError)
	if err != nil && api.ErrorCode(interpretError(err)) == api.CodeNotFound {
		return api.TLSStatus{}, nil
	}
	return st, interpretError(err)
}

// SaveTLSState records the Let's Encrypt settings, audited.
func (s *Store) SaveTLSState(ctx context.Context, actor api.Actor, st api.TLSStatus) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO acme_state (id, enabled, domain, email, last_error) VALUES (1, $1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET enabled = $1, domain = $2, email = $3, last_error = $4, updated_at = now()`,
			st.Enabled, st.Domain, st.Email, st.LastError)
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, write{change: api.Change{Entity: api.EntityTLS, Op: api.OpUpdate},
			actor: actor, action: api.OpUpdate, entityID: "letsencrypt", after: st})
	})
}
