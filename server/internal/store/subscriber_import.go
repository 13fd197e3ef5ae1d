package store

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"canale/server/internal/credential"
	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// ImportRow is one parsed line of a subscriber import, its password
// already hashed. Packages name packages by id or by name.
type ImportRow struct {
	Line         int
	Login        string
	PasswordHash string
	Name         string
	Contact      string
	Status       string
	ExpiresAt    *time.Time
	MaxSessions  int
	Packages     []string
	Notes        string
	AllowedIPs   []string
	Trial        bool
	Attributes   json.RawMessage
}

// ImportOptions control an import. In Strict mode any bad line (including
// the ParseErrors found before the store was called) leaves the database
// untouched; DryRun checks everything and then rolls back.
type ImportOptions struct {
	Strict      bool
	DryRun      bool
	ParseErrors []api.ImportLine
	Logger      *slog.Logger
}

var importColumns = []string{"line", "login", "password_hash", "name", "contact", "status", "expires_at",
	"max_sessions", "packages", "notes", "allowed_ips", "trial", "attributes", "token"}

// ImportSubscribers creates subscribers from rows in one transaction: the
// rows are COPYed into a temporary table, checked there with set-based
// queries (unknown packages, logins repeated in the file, logins that exist:
// skipped), and inserted with one INSERT ... SELECT. One audit record and
// one NOTIFY ({"entity":"subscriber","op":"reset"}: reload subscribers)
// describe the whole import rather than one per line.
func (s *Store) ImportSubscribers(ctx context.Context, actor api.Actor, rows []ImportRow, opt ImportOptions) (api.ImportReport, error) {
	rep := api.ImportReport{DryRun: opt.DryRun, Skipped: []api.ImportLine{}, Errors: append([]api.ImportLine{}, opt.ParseErrors...)}
	logger := opt.Logger
	if logger == nil {
		logger = s.logger
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := copyImportRows(ctx, tx, rows); err != nil {
			return err
		}
		logger.InfoContext(ctx, "subscriber import: rows copied", "rows", len(rows))
		if err := checkImportRows(ctx, tx, &rep); err != nil {
			return err
		}
		if (opt.Strict && len(rep.Errors) > 0) || opt.DryRun {
			n, err := countImportable(ctx, tx)
			if !opt.Strict || len(rep.Errors) == 0 {
				rep.Created = n
			}
			if err != nil {
				return err
			}
			return errRollback
		}
		n, err := insertImportRows(ctx, tx)
		if err != nil {
			return err
		}
		rep.Created = n
		logger.InfoContext(ctx, "subscriber import: inserted", "created", n, "skipped", len(rep.Skipped), "errors", len(rep.Errors))
		return writeChange(ctx, tx, write{change: api.Change{Entity: api.EntitySubscriber, Op: api.OpReset},
			actor: actor, action: "import",
			after: map[string]int{"created": n, "skipped": len(rep.Skipped), "errors": len(rep.Errors)}})
	})
	if err == errRollback {
		err = nil
	}
	if err != nil {
		return rep, fmt.Errorf("import subscribers: %w", err)
	}
	sortImportLines(rep.Errors)
	sortImportLines(rep.Skipped)
	return rep, nil
}

// errRollback ends a transaction that must not commit (dry run, strict
// failure) without being an error to the caller.
var errRollback = &api.Error{Code: api.CodeInternal, Message: "rollback"}

func copyImportRows(ctx context.Context, tx pgx.Tx, rows []ImportRow) error {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_subscribers (
		line int, login text, password_hash text, name text, contact text, status text, expires_at timestamptz,
		max_sessions int, packages text[], notes text, allowed_ips text[], trial bool, attributes jsonb, token text,
		problem text) ON COMMIT DROP`); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"import_subscribers"}, importColumns,
		pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
			r := rows[i]
			attrs := r.Attributes
			if len(attrs) == 0 {
				attrs = json.RawMessage(`{}`)
			}
			return []any{r.Line, r.Login, r.PasswordHash, r.Name, r.Contact, r.Status, r.ExpiresAt, r.MaxSessions,
				nonNil(r.Packages), r.Notes, nonNil(r.AllowedIPs), r.Trial, string(attrs), credential.NewPlaybackToken()}, nil
		}))
	if err != nil {
		return fmt.Errorf("copy import rows: %w", err)
	}
	_, err = tx.Exec(ctx, `ANALYZE import_subscribers`)
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// checkImportRows marks bad lines (errors) and lines left alone (skipped)
// in the temporary table and reports them.
func checkImportRows(ctx context.Context, tx pgx.Tx, rep *api.ImportReport) error {
	checks := []struct {
		skip bool
		sql  string
	}{
		{false, `UPDATE import_subscribers i SET problem = 'packages: unknown package ' || u.p
			FROM (SELECT DISTINCT ON (i2.line) i2.line, p FROM import_subscribers i2, unnest(i2.packages) p
				WHERE NOT EXISTS (SELECT 1 FROM packages k WHERE k.id::text = p OR lower(k.name) = lower(p))
				ORDER BY i2.line) u
			WHERE i.line = u.line AND i.problem IS NULL RETURNING i.line, i.problem`},
		{false, `UPDATE import_subscribers i SET problem = 'login: repeats line ' || d.first
			FROM (SELECT line, first_value(line) OVER (PARTITION BY lower(login) ORDER BY line) AS first
				FROM import_subscribers) d
			WHERE i.line = d.line AND d.first <> d.line AND i.problem IS NULL RETURNING i.line, i.problem`},
		{true, `UPDATE import_subscribers i SET problem = 'login: already exists'
			FROM subscribers s WHERE lower(s.login) = lower(i.login) AND i.problem IS NULL RETURNING i.line, i.problem`},
	}
	for _, c := range checks {
		rows, err := tx.Query(ctx, c.sql)
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
	}
	return nil
}

func countImportable(ctx context.Context, tx pgx.Tx) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM import_subscribers WHERE problem IS NULL`).Scan(&n)
	return n, err
}

func insertImportRows(ctx context.Context, tx pgx.Tx) (int, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO subscribers (login, password_hash, name, contact, token, status, expires_at,
			max_sessions, allowed_ips, notes, trial, attributes)
		SELECT login, password_hash, name, contact, token, status, expires_at, max_sessions, allowed_ips, notes, trial, attributes
		FROM import_subscribers WHERE problem IS NULL ORDER BY line`)
	if err != nil {
		return 0, interpretError(err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO subscriber_packages (subscriber_id, package_id)
		SELECT s.id, k.id FROM import_subscribers i
			JOIN subscribers s ON lower(s.login) = lower(i.login)
			CROSS JOIN unnest(i.packages) p
			JOIN packages k ON k.id::text = p OR lower(k.name) = lower(p)
		WHERE i.problem IS NULL AND cardinality(i.packages) > 0
		ON CONFLICT DO NOTHING`)
	if err != nil {
		return 0, interpretError(err)
	}
	return int(tag.RowsAffected()), nil
}

func sortImportLines(l []api.ImportLine) {
	sort.Slice(l, func(i, j int) bool { return l[i].Line < l[j].Line })
}
