package store

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"canale/migrations"

	"github.com/jackc/pgx/v5"
)

// migrationLockKey is the pg_advisory_xact_lock key that serialises migration
// runs of every Canale instance sharing one database ("canale" in ASCII).
const migrationLockKey int64 = 0x63616e616c65

// Migrate applies every embedded migration that the database lacks, each in
// its own transaction under an advisory lock, so instances starting together
// neither race nor half-apply a file. It returns the names it applied.
//
// A small runner instead of goose or tern: it is about sixty lines, needs no
// down-migrations, and the advisory lock inside each file's transaction is the
// behaviour we want, which goose only offers as a session-level locker.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	return s.MigrateTo(ctx, "")
}

// MigrateTo is Migrate that stops after the migration named last (all of
// them when last is empty): upgrade tests build an earlier release's schema
// with it, fill it, and then migrate the rest.
func (s *Store) MigrateTo(ctx context.Context, last string) ([]string, error) {
	names, err := migrationNames(migrations.FS)
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, name := range names {
		if last != "" && name > last {
			break
		}
		did, err := s.migrateFile(ctx, name)
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", name, err)
		}
		if did {
			applied = append(applied, name)
			s.logger.Info("migration applied", "migration", name)
		}
	}
	return applied, nil
}

func (s *Store) migrateFile(ctx context.Context, name string) (bool, error) {
	var did bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil || n > 0 {
			return err
		}
		body, err := fs.ReadFile(migrations.FS, name)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return err
		}
		did = true
		_, err = tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name)
		return err
	})
	return did, err
}

// PendingMigrations returns the embedded migrations the database lacks; /readyz
// reports not ready while any is pending.
func (s *Store) PendingMigrations(ctx context.Context) ([]string, error) {
	names, err := migrationNames(migrations.FS)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, interpretError(err)
	}
	done, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, interpretError(err)
	}
	have := make(map[string]bool, len(done))
	for _, n := range done {
		have[n] = true
	}
	var pending []string
	for _, n := range names {
		if !have[n] {
			pending = append(pending, n)
		}
	}
	return pending, nil
}

func migrationNames(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}
