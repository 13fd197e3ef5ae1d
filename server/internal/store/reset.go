package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ChangesChannel is the PostgreSQL NOTIFY channel that carries api.Change
// payloads to every Canale instance.
const ChangesChannel = "canale_changes"

// Reset empties every Canale table except the migration record, in one
// transaction, and tells every instance to reload. Truncating instead of
// dropping the schema keeps the running servers' prepared statements valid.
//
// A running server's own writers (sessions, refusals, the poller) lock
// rows of several tables while TRUNCATE locks the tables one by one, so
// PostgreSQL may end the reset as a deadlock's victim; the transaction
// then changed nothing and Reset tries again, a few times.
func (s *Store) Reset(ctx context.Context) error {
	var err error
	for attempt := 0; attempt < resetAttempts; attempt++ {
		if err = s.reset(ctx); !isDeadlock(err) {
			return err
		}
		s.logger.WarnContext(ctx, "reset lost a deadlock with a running writer; trying again", "attempt", attempt+1)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 50 * time.Millisecond):
		}
	}
	return err
}

// resetAttempts bounds Reset's retries after a deadlock.
const resetAttempts = 5

// isDeadlock reports PostgreSQL's deadlock_detected (40P01).
func isDeadlock(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "40P01"
}

func (s *Store) reset(ctx context.Context) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT quote_ident(tablename) FROM pg_tables
			WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`)
		if err != nil {
			return err
		}
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if len(tables) > 0 {
			if _, err := tx.Exec(ctx, `TRUNCATE `+strings.Join(tables, ", ")+` RESTART IDENTITY CASCADE`); err != nil {
				return fmt.Errorf("truncate: %w", err)
			}
		}
		return notifyChange(ctx, tx, api.Change{Entity: api.EntityAll, Op: api.OpReset})
	})
}
