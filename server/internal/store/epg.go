package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

const epgSourceColumns = `id, name, url, enabled, interval_hours, days_keep, allow_private_network, last_run_at, last_result, last_error,
	programme_count, channel_count, warnings, bytes, duration_ms, version, created_at, updated_at`

func scanEPGSource(row pgx.Row) (api.EPGSource, error) {
	var s api.EPGSource
	err := row.Scan(&s.ID, &s.Name, &s.URL, &s.Enabled, &s.IntervalHours, &s.DaysKeep, &s.AllowPrivateNetwork, &s.LastRunAt, &s.LastResult,
		&s.LastError, &s.ProgrammeCount, &s.ChannelCount, &s.Warnings, &s.Bytes, &s.DurationMS, &s.Version,
		&s.CreatedAt, &s.UpdatedAt)
	return s, err
}

// FindEPGSourceByID returns one EPG source, CodeNotFound when there is none.
func (s *Store) FindEPGSourceByID(ctx context.Context, id int64) (api.EPGSource, error) {
	src, err := scanEPGSource(s.pool.QueryRow(ctx, `SELECT `+epgSourceColumns+` FROM epg_sources WHERE id = $1`, id))
	if err != nil {
		return src, fmt.Errorf("find epg source %d: %w", id, interpretError(err))
	}
	return src, nil
}

// FindEPGSources returns a page of EPG sources ordered by name (case-
// insensitive, then id). p.Query keeps the names that start with it.
// It returns CodeInvalid for a cursor that is not from a previous page.
func (s *Store) FindEPGSources(ctx context.Context, f api.EPGSourceFilter, p api.ListParams) (api.Page[api.EPGSource], error) {
	q := listQuery{selectFrom: `SELECT ` + epgSourceColumns + ` FROM epg_sources e`, idExpr: "e.id",
		search: []string{"lower(e.name)"}, defaultSort: "name", sorts: map[string]sortKey{
			"name": {expr: "lower(e.name)", cast: "text", key: func(v any) string { return lowerString(v.(api.EPGSource).Name) }},
		}}
	if f.Enabled != nil {
		q.filter("e.enabled = %s", *f.Enabled)
	}
	page, err := findPage(ctx, s.pool, q, p, scanEPGSource, func(e api.EPGSource) int64 { return e.ID })
	if err != nil {
		return page, fmt.Errorf("find epg sources: %w", err)
	}
	return page, nil
}

// CreateEPGSource stores a new EPG source, applying the default interval and
// days kept when they are zero. It returns CodeInvalid for a bad field and
// CodeConflict when the name is taken.
func (s *Store) CreateEPGSource(ctx context.Context, actor api.Actor, src api.EPGSource) (api.EPGSource, error) {
	if err := src.Validate(); err != nil {
		return src, err
	}
	if src.IntervalHours == 0 {
		src.IntervalHours = api.DefaultEPGIntervalHours
	}
	var out api.EPGSource
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanEPGSource(tx.QueryRow(ctx, `INSERT INTO epg_sources (name, url, enabled, interval_hours, days_keep, allow_private_network)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+epgSourceColumns,
			strings.TrimSpace(src.Name), strings.TrimSpace(src.URL), src.Enabled, src.IntervalHours, src.DaysKeep,
			src.AllowPrivateNetwork))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityEPGSource, out.ID, nil, out))
	})
	if err != nil {
		return out, fmt.Errorf("create epg source: %w", err)
	}
	return out, nil
}

// UpdateEPGSource applies u to the source id if u.Version is still its
// version. It returns CodeNotFound, CodeInvalid, or CodeConflict for a stale
// version or a taken name.
func (s *Store) UpdateEPGSource(ctx context.Context, actor api.Actor, id int64, u api.EPGSourceUpdate) (api.EPGSource, error) {
	if err := u.Validate(); err != nil {
		return api.EPGSource{}, err
	}
	var out api.EPGSource
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := scanEPGSource(tx.QueryRow(ctx, `SELECT `+epgSourceColumns+` FROM epg_sources WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if err := checkVersion("epg source", id, before.Version, u.Version); err != nil {
			return err
		}
		next := u.Apply(before)
		out, err = scanEPGSource(tx.QueryRow(ctx, `UPDATE epg_sources SET name = $3, url = $4, enabled = $5,
				interval_hours = $6, days_keep = $7, allow_private_network = $8, version = version + 1, updated_at = now()
			WHERE id = $1 AND version = $2 RETURNING `+epgSourceColumns,
			id, u.Version, strings.TrimSpace(next.Name), strings.TrimSpace(next.URL), next.Enabled, next.IntervalHours, next.DaysKeep,
			next.AllowPrivateNetwork))
		if errors.Is(err, pgx.ErrNoRows) {
			return errStale("epg source", id)
		}
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityEPGSource, id, before, out))
	})
	if err != nil {
		return out, fmt.Errorf("update epg source %d: %w", id, err)
	}
	return out, nil
}

// DeleteEPGSource removes a source with its channels and programmes. It
// returns CodeNotFound when there is none.
func (s *Store) DeleteEPGSource(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := scanEPGSource(tx.QueryRow(ctx, `DELETE FROM epg_sources WHERE id = $1 RETURNING `+epgSourceColumns, id))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntityEPGSource, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete epg source %d: %w", id, err)
	}
	return nil
}

// EPGRun is the outcome of one import, recorded on its source.
type EPGRun struct {
	At       time.Time
	Result   string // api.EPGResultOK or api.EPGResultError
	Error    string
	Counts   GuideCounts // of the stored guide; ignored for an error, which keeps the previous guide's counts
	Warnings int         // items the parser skipped as malformed
	Bytes    int64
	Duration time.Duration
}

// RecordEPGRun records the outcome of an import on source id. It changes no
// version (an import must not make an operator's open edit stale) and writes
// no audit record (imports are not staff changes), but it notifies, so screens
// refresh. It returns CodeNotFound when the source is gone.
func (s *Store) RecordEPGRun(ctx context.Context, id int64, r EPGRun) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var tag interface{ RowsAffected() int64 }
		var err error
		if r.Result == api.EPGResultOK {
			tag, err = tx.Exec(ctx, `UPDATE epg_sources SET last_run_at = $2, last_result = $3, last_error = '',
				programme_count = $4, channel_count = $5, warnings = $6, bytes = $7, duration_ms = $8 WHERE id = $1`,
				id, r.At, r.Result, r.Counts.Programmes, r.Counts.Channels, r.Warnings, r.Bytes, r.Duration.Milliseconds())
		} else {
			tag, err = tx.Exec(ctx, `UPDATE epg_sources SET last_run_at = $2, last_result = $3, last_error = $4,
				bytes = $5, duration_ms = $6 WHERE id = $1`,
				id, r.At, r.Result, r.Error, r.Bytes, r.Duration.Milliseconds())
		}
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return pgx.ErrNoRows
		}
		return writeChange(ctx, tx, write{change: api.Change{Entity: api.EntityEPGSource, ID: entityID(id), Op: api.OpUpdate}})
	})
	if err != nil {
		return fmt.Errorf("record epg run of source %d: %w", id, err)
	}
	return nil
}
