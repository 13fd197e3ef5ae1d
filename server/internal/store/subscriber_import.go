package store

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"canale/server/internal/pace"
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

// ImportSubscribers creates subscribers from rows in one transaction: the
// rows are COPYed into a temporary table, checked there with set-based
// queries (unknown packages, logins repeated in the file, logins that exist:
// skipped), and inserted with INSERT ... SELECT. Each step goes importChunk
// rows per statement, paced (package pace) between statements, so a
// hundred thousand rows never hold a CPU of the server or of PostgreSQL
// for long; being one transaction, a failure at any chunk still leaves the
// database as it was. One audit record and one NOTIFY
// ({"entity":"subscriber","op":"reset"}: reload subscribers) describe the
// whole import rather than one per line.
func (s *Store) ImportSubscribers(ctx context.Context, actor api.Actor, rows []ImportRow, opt ImportOptions) (api.ImportReport, error) {
	rep := api.ImportReport{DryRun: opt.DryRun, Skipped: []api.ImportLine{}, Errors: append([]api.ImportLine{}, opt.ParseErrors...)}
	logger := opt.Logger
	if logger == nil {
		logger = s.logger
	}
	im := importChunks{n: len(rows), p: pace.New(pace.DefaultShare)}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := im.copyRows(ctx, tx, rows); err != nil {
			return err
		}
		logger.InfoContext(ctx, "subscriber import: rows copied", "rows", len(rows))
		if err := im.check(ctx, tx, &rep); err != nil {
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
		n, err := im.insert(ctx, tx)
		if err != nil {
			return err
		}
		rep.Created = n
		logger.InfoContext(ctx, "subscriber import: inserted", "created", n, "skipped", len(rep.Skipped), "errors", len(rep.Errors))
		return writeChange(ctx, tx, write{change: api.Change{Entity: api.EntitySubscriber, Op: api.OpReset},
			actor: actor, action: api.OpImport,
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

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func countImportable(ctx context.Context, tx pgx.Tx) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM import_subscribers WHERE problem IS NULL`).Scan(&n)
	return n, err
}

func sortImportLines(l []api.ImportLine) {
	sort.Slice(l, func(i, j int) bool { return l[i].Line < l[j].Line })
}
