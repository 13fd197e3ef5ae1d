package store

import (
	"context"
	"encoding/json"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// notifyChange queues a NOTIFY on ChangesChannel inside tx. PostgreSQL
// delivers it only when tx commits, so listeners never hear of a change that
// rolled back, and always hear of one that did not.
func notifyChange(ctx context.Context, tx pgx.Tx, c api.Change) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, ChangesChannel, string(b)); err != nil {
		return fmt.Errorf("notify change: %w", err)
	}
	return nil
}

// errStale is the answer to an update whose version is not the current one.
func errStale(entity string, id int64) error {
	return &api.Error{Code: api.CodeConflict,
		Message: fmt.Sprintf("%s %d was changed by someone else; reload it and try again", entity, id),
		Fields:  map[string]string{"version": "stale"}}
}
