package store

import (
	"context"
	"encoding/json"
	"fmt"

	"canale/server/internal/credential"
	"canale/server/internal/pace"
	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// importChunk is how many rows one statement of a subscriber import
// writes or checks. Written in one statement, 100,000 rows held a core of
// PostgreSQL for seconds while play checks shared the machine; a chunk is
// a few milliseconds of work, and the pacer rests after it.
const importChunk = 2000

// importChunks carries out a subscriber import's statements chunk by chunk
// over the temporary table import_subscribers, whose seq numbers the rows
// 0..n-1 in the order given; p paces the statements.
type importChunks struct {
	n int
	p *pace.Pacer
}

// each calls fn for each chunk [from, to) of seq, resting between them.
func (im importChunks) each(ctx context.Context, fn func(from, to int) error) error {
	for from := 0; from < im.n; from += importChunk {
		if err := fn(from, min(from+importChunk, im.n)); err != nil {
			return err
		}
		if err := im.p.Check(ctx); err != nil {
			return err
		}
	}
	return nil
}

// copyRows creates the temporary table and COPYs rows into it a chunk at a
// time, so the rows built for COPY are bounded by the chunk, not the file.
func (im importChunks) copyRows(ctx context.Context, tx pgx.Tx, rows []ImportRow) error {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_subscribers (
		seq int, line int, login text, password_hash text, name text, contact text, status text, expires_at timestamptz,
		max_sessions int, packages text[], notes text, allowed_ips text[], trial bool, attributes jsonb, token text,
		problem text) ON COMMIT DROP`); err != nil {
		return err
	}
	err := im.each(ctx, func(from, to int) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"import_subscribers"}, importColumns,
			pgx.CopyFromSlice(to-from, func(i int) ([]any, error) { return importValues(from+i, rows[from+i]), nil }))
		if err != nil {
			return fmt.Errorf("copy import rows: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The checks and inserts look rows up by chunk and by login.
	for _, q := range []string{`CREATE INDEX ON import_subscribers (seq)`,
		`CREATE INDEX ON import_subscribers (lower(login), line)`, `ANALYZE import_subscribers`} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
		if err := im.p.Check(ctx); err != nil {
			return err
		}
	}
	return nil
}

var importColumns = []string{"seq", "line", "login", "password_hash", "name", "contact", "status", "expires_at",
	"max_sessions", "packages", "notes", "allowed_ips", "trial", "attributes", "token"}

func importValues(seq int, r ImportRow) []any {
	attrs := r.Attributes
	if len(attrs) == 0 {
		attrs = json.RawMessage(`{}`)
	}
	return []any{seq, r.Line, r.Login, r.PasswordHash, r.Name, r.Contact, r.Status, r.ExpiresAt, r.MaxSessions,
		nonNil(r.Packages), r.Notes, nonNil(r.AllowedIPs), r.Trial, string(attrs), credential.NewPlaybackToken()}
}

// importChecks mark bad lines (errors) and lines left alone (skipped) in
// the chunk of seq $1 <= seq < $2, each returning the lines it marked. A
// check sees the whole file (a login repeats an earlier line anywhere in
// it), and each runs over every chunk before the next begins, so a line
// gets the first problem found, as when each was one statement.
var importChecks = []struct {
	skip bool
	sql  string
}{
	{false, `UPDATE import_subscribers i SET problem = 'packages: unknown package ' || u.p
		FROM (SELECT DISTINCT ON (i2.seq) i2.seq, p FROM import_subscribers i2, unnest(i2.packages) p
			WHERE i2.seq >= $1 AND i2.seq < $2
				AND NOT EXISTS (SELECT 1 FROM packages k WHERE k.id::text = p OR lower(k.name) = lower(p))
			ORDER BY i2.seq) u
		WHERE i.seq = u.seq AND i.problem IS NULL RETURNING i.line, i.problem`},
	{false, `UPDATE import_subscribers i SET problem = 'login: repeats line ' || d.first
		FROM (SELECT i2.seq, (SELECT min(j.line) FROM import_subscribers j WHERE lower(j.login) = lower(i2.login)) AS first
			FROM import_subscribers i2 WHERE i2.seq >= $1 AND i2.seq < $2) d
		WHERE i.seq = d.seq AND d.first <> i.line AND i.problem IS NULL RETURNING i.line, i.problem`},
	{true, `UPDATE import_subscribers i SET problem = 'login: already exists'
		FROM subscribers s WHERE lower(s.login) = lower(i.login) AND i.seq >= $1 AND i.seq < $2 AND i.problem IS NULL
		RETURNING i.line, i.problem`},
}

// check runs importChecks and reports the lines they mark.
func (im importChunks) check(ctx context.Context, tx pgx.Tx, rep *api.ImportReport) error {
	for _, c := range importChecks {
		err := im.each(ctx, func(from, to int) error {
			rows, err := tx.Query(ctx, c.sql, from, to)
			if err != nil {
				return err
			}
			lines, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (api.ImportLine, error) {
				var l api.ImportLine
				return l, r.Scan(&l.Line, &l.Reason)
			})
			if err != nil {
				return err
			}
			if c.skip {
				rep.Skipped = append(rep.Skipped, lines...)
			} else {
				rep.Errors = append(rep.Errors, lines...)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// insert creates the subscribers of the lines with no problem, with their
// packages, chunk by chunk, and returns how many it created.
func (im importChunks) insert(ctx context.Context, tx pgx.Tx) (int, error) {
	created := 0
	err := im.each(ctx, func(from, to int) error {
		tag, err := tx.Exec(ctx, `INSERT INTO subscribers (login, password_hash, name, contact, token, status, expires_at,
				max_sessions, allowed_ips, notes, trial, attributes)
			SELECT login, password_hash, name, contact, token, status, expires_at, max_sessions, allowed_ips, notes, trial, attributes
			FROM import_subscribers WHERE problem IS NULL AND seq >= $1 AND seq < $2 ORDER BY line`, from, to)
		if err != nil {
			return interpretError(err)
		}
		created += int(tag.RowsAffected())
		_, err = tx.Exec(ctx, `INSERT INTO subscriber_packages (subscriber_id, package_id)
			SELECT s.id, k.id FROM import_subscribers i
				JOIN subscribers s ON lower(s.login) = lower(i.login)
				CROSS JOIN unnest(i.packages) p
				JOIN packages k ON k.id::text = p OR lower(k.name) = lower(p)
			WHERE i.problem IS NULL AND cardinality(i.packages) > 0 AND i.seq >= $1 AND i.seq < $2
			ON CONFLICT DO NOTHING`, from, to)
		return interpretError(err)
	})
	return created, err
}
