package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// DatabaseInfo is what a backup needs to know about the database server: its
// version, to pick pg_dump and pg_restore no older than it, and the schema
// Canale's tables live in, to dump and restore that schema only.
type DatabaseInfo struct {
	ServerVersionNum int // e.g. 150018 for 15.18
	Schema           string
	Tables           int // in Schema, for progress reports
}

// ServerMajor is the major version of the server (15 for 15.18).
func (d DatabaseInfo) ServerMajor() int { return d.ServerVersionNum / 10000 }

// FindDatabaseInfo returns the server version, Canale's schema and the
// number of its tables.
func (s *Store) FindDatabaseInfo(ctx context.Context) (DatabaseInfo, error) {
	var d DatabaseInfo
	var num string
	err := s.pool.QueryRow(ctx, `SELECT current_setting('server_version_num'), current_schema(),
		(SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())`).Scan(&num, &d.Schema, &d.Tables)
	if err != nil {
		return d, interpretError(fmt.Errorf("find database info: %w", err))
	}
	d.ServerVersionNum, err = strconv.Atoi(num)
	return d, err
}

// TableRowCounts returns the exact number of rows of every table in
// Canale's schema, by table name; a restore refuses an install where any
// table but schema_migrations and settings has rows.
func (s *Store) TableRowCounts(ctx context.Context) (map[string]int64, error) {
	counts := map[string]int64{}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)
		if err != nil {
			return err
		}
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, t := range tables {
			var n int64
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&n); err != nil {
				return fmt.Errorf("count %s: %w", t, err)
			}
			counts[t] = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count rows: %w", err)
	}
	return counts, nil
}

// AnnounceReset tells every instance that the data was replaced wholesale
// (after a restore), so each reloads everything.
func (s *Store) AnnounceReset(ctx context.Context) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		return writeChange(ctx, tx, write{change: api.Change{Entity: api.EntityAll, Op: api.OpReset}})
	})
}

const backupColumns = `id, trigger, file, started_at, finished_at, result, error, size_bytes`

func scanBackup(row pgx.CollectableRow) (api.Backup, error) {
	var b api.Backup
	err := row.Scan(&b.ID, &b.Trigger, &b.File, &b.StartedAt, &b.FinishedAt, &b.Result, &b.Error, &b.SizeBytes)
	return b, err
}

// CreateBackup records that actor started a backup into file; the row stays
// without a result until FinishBackup.
func (s *Store) CreateBackup(ctx context.Context, actor api.Actor, trigger, file string) (api.Backup, error) {
	var b api.Backup
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `INSERT INTO backups (trigger, file) VALUES ($1, $2) RETURNING `+backupColumns, trigger, file)
		if err != nil {
			return err
		}
		if b, err = pgx.CollectExactlyOneRow(rows, scanBackup); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityBackup, b.ID, nil, b))
	})
	if err != nil {
		return b, fmt.Errorf("create backup: %w", err)
	}
	return b, nil
}

// FinishBackup records the outcome of backup id: its size, or the error that
// ended it. It returns CodeNotFound for an unknown id.
func (s *Store) FinishBackup(ctx context.Context, id, size int64, failure error) (api.Backup, error) {
	result, msg := api.BackupResultOK, ""
	if failure != nil {
		result, msg = api.BackupResultError, failure.Error()
	}
	var b api.Backup
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE backups SET finished_at = now(), result = $2, error = $3, size_bytes = $4
			WHERE id = $1 RETURNING `+backupColumns, id, result, msg, size)
		if err != nil {
			return err
		}
		if b, err = pgx.CollectExactlyOneRow(rows, scanBackup); err != nil {
			return err
		}
		return writeChange(ctx, tx, write{change: api.Change{Entity: api.EntityBackup, ID: entityID(id), Op: api.OpUpdate}})
	})
	if err != nil {
		return b, fmt.Errorf("finish backup %d: %w", id, err)
	}
	return b, nil
}

// FindBackups returns the last limit backups, newest first.
func (s *Store) FindBackups(ctx context.Context, limit int) ([]api.Backup, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+backupColumns+` FROM backups ORDER BY started_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, interpretError(fmt.Errorf("find backups: %w", err))
	}
	out, err := pgx.CollectRows(rows, scanBackup)
	if err != nil {
		return nil, interpretError(fmt.Errorf("find backups: %w", err))
	}
	return out, nil
}

// EndSessions terminates the sessions whose application_name is name and
// waits until PostgreSQL has ended them. A restore kills its psql on
// failure, but the server notices a dead client only when it next reads
// from it, and until then the dying transaction holds its locks.
func (s *Store) EndSessions(ctx context.Context, name string) error {
	for {
		var left int
		err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE application_name = $1 AND pid <> pg_backend_pid()) t`, name).Scan(&left)
		if err != nil {
			return interpretError(fmt.Errorf("end sessions %s: %w", name, err))
		}
		if left == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
