package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ChangesChannel is the PostgreSQL NOTIFY channel that carries api.Change
// payloads to every Canale instance.
const ChangesChannel = "canale_changes"

// Reset empties every Canale table except the migration record, in one
// transaction, and tells every instance to reload. Truncating instead of
// dropping the schema keeps the running servers' prepared statements valid.
func (s *Store) Reset(ctx context.Context) error {
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
		_, err = tx.Exec(ctx, `SELECT pg_notify($1, '{"entity":"*","op":"reset"}')`, ChangesChannel)
		return err
	})
}
