package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

const packageColumns = `p.id, p.name, p.description, p.price::text, p.currency, p.period_days, p.max_sessions, p.free,
	ARRAY(SELECT pc.channel_id FROM package_channels pc WHERE pc.package_id = p.id ORDER BY pc.position, pc.channel_id),
	ARRAY(SELECT pv.vod_id FROM package_vod pv WHERE pv.package_id = p.id ORDER BY pv.position, pv.vod_id),
	p.attributes, p.version, p.created_at, p.updated_at,
	ARRAY(SELECT ps.series_id FROM package_series ps WHERE ps.package_id = p.id ORDER BY ps.position, ps.series_id)`

func scanPackage(row pgx.Row) (api.Package, error) {
	var p api.Package
	err := row.Scan(&p.ID, &p.Name, &p.Description, &p.Price, &p.Currency, &p.PeriodDays, &p.MaxSessions, &p.Free,
		&p.ChannelIDs, &p.VODIDs, &p.Attributes, &p.Version, &p.CreatedAt, &p.UpdatedAt, &p.SeriesIDs)
	return p, err
}

func findPackage(ctx context.Context, db querier, id int64, lock string) (api.Package, error) {
	return scanPackage(db.QueryRow(ctx, `SELECT `+packageColumns+` FROM packages p WHERE p.id = $1`+lock, id))
}

// FindPackageByID returns the package with that id, or CodeNotFound.
func (s *Store) FindPackageByID(ctx context.Context, id int64) (api.Package, error) {
	p, err := findPackage(ctx, s.pool, id, "")
	if err != nil {
		return p, fmt.Errorf("find package %d: %w", id, interpretError(err))
	}
	return p, nil
}

// FindPackages returns a page of packages; ?q= searches name prefixes; sort
// by name (default) or id.
func (s *Store) FindPackages(ctx context.Context, f api.PackageFilter, lp api.ListParams) (api.Page[api.Package], error) {
	q := listQuery{selectFrom: `SELECT ` + packageColumns + ` FROM packages p`, idExpr: "p.id",
		search: []string{"lower(p.name)"}, defaultSort: "name", sorts: map[string]sortKey{
			"name": {expr: "lower(p.name)", cast: "text", key: func(v any) string { return lowerString(v.(api.Package).Name) }},
			"id":   {expr: "p.id", cast: "bigint", key: func(v any) string { return fmt.Sprint(v.(api.Package).ID) }},
		}}
	if f.ChannelID != 0 {
		q.filter("EXISTS (SELECT 1 FROM package_channels pc WHERE pc.package_id = p.id AND pc.channel_id = %s)", f.ChannelID)
	}
	if f.Free != nil {
		q.filter("p.free = %s", *f.Free)
	}
	page, err := findPage(ctx, s.pool, q, lp, scanPackage, func(p api.Package) int64 { return p.ID })
	if err != nil {
		return page, fmt.Errorf("find packages: %w", err)
	}
	return page, nil
}

// CreatePackage adds a package. It returns CodeInvalid (also for channel or
// VOD ids that do not exist) or CodeConflict when the name is taken.
func (s *Store) CreatePackage(ctx context.Context, actor api.Actor, p api.Package) (api.Package, error) {
	p = p.Normalize()
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO packages (name, description, price, currency, period_days, free, attributes, max_sessions)
			VALUES ($1, $2, $3::numeric, $4, $5, $6, $7, $8) RETURNING id`,
			p.Name, p.Description, p.Price, p.Currency, p.PeriodDays, p.Free, jsonObject(p.Attributes), p.MaxSessions).Scan(&id); err != nil {
			return err
		}
		var err error
		if p, err = writePackageItems(ctx, tx, id, p); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityPackage, id, nil, p))
	})
	if err != nil {
		return p, fmt.Errorf("create package: %w", err)
	}
	return p, nil
}

// writePackageItems replaces the channel and VOD lists of package id and
// returns the package as stored.
func writePackageItems(ctx context.Context, tx pgx.Tx, id int64, p api.Package) (api.Package, error) {
	for _, l := range []struct {
		table, col, field string
		ids               []int64
	}{
		{"package_channels", "channel_id", "channel_ids", p.ChannelIDs},
		{"package_vod", "vod_id", "vod_ids", p.VODIDs},
		{"package_series", "series_id", "series_ids", p.SeriesIDs},
	} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+l.table+` WHERE package_id = $1`, id); err != nil {
			return p, err
		}
		_, err := tx.Exec(ctx, `INSERT INTO `+l.table+` (package_id, `+l.col+`, position)
			SELECT $1, x.id, x.ord FROM unnest($2::bigint[]) WITH ORDINALITY AS x(id, ord)`, id, l.ids)
		if api.ErrorCode(interpretError(err)) == api.CodeInvalid {
			return p, &api.Error{Code: api.CodeInvalid, Message: "refers to a missing entity",
				Fields: map[string]string{l.field: "lists an id that does not exist"}}
		}
		if err != nil {
			return p, err
		}
	}
	return findPackage(ctx, tx, id, "")
}

// UpdatePackage applies u. It returns CodeNotFound, CodeConflict or CodeInvalid.
func (s *Store) UpdatePackage(ctx context.Context, actor api.Actor, id int64, u api.PackageUpdate) (api.Package, error) {
	var after api.Package
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findPackage(ctx, tx, id, " FOR UPDATE OF p")
		if err != nil {
			return err
		}
		if err := checkVersion("package", id, before.Version, u.Version); err != nil {
			return err
		}
		after = u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE packages SET name = $2, description = $3, price = $4::numeric, currency = $5,
			period_days = $6, free = $7, attributes = $8, max_sessions = $9, version = version + 1, updated_at = now()
			WHERE id = $1`,
			id, after.Name, after.Description, after.Price, after.Currency, after.PeriodDays, after.Free,
			jsonObject(after.Attributes), after.MaxSessions); err != nil {
			return err
		}
		if after, err = writePackageItems(ctx, tx, id, after); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityPackage, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("update package %d: %w", id, err)
	}
	return after, nil
}

// DeletePackage removes a package. It returns CodeNotFound, or CodeConflict
// when subscribers hold it (they must lose it first, deliberately).
func (s *Store) DeletePackage(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findPackage(ctx, tx, id, " FOR UPDATE OF p")
		if err != nil {
			return err
		}
		var held int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM subscriber_packages WHERE package_id = $1`, id).Scan(&held); err != nil {
			return err
		}
		if held > 0 {
			return conflict("subscribers", fmt.Sprintf("package %s is held by %d subscriber(s); take it from them first", before.Name, held))
		}
		if _, err := tx.Exec(ctx, `DELETE FROM packages WHERE id = $1`, id); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntityPackage, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete package %d: %w", id, err)
	}
	return nil
}

// packagesBefore locks and returns the packages whose ids query selects
// (one $1 parameter), before a cascade changes them.
func packagesBefore(ctx context.Context, tx pgx.Tx, query string, id int64) ([]api.Package, error) {
	rows, err := tx.Query(ctx, `SELECT `+packageColumns+` FROM packages p WHERE p.id IN (`+query+`) ORDER BY p.id FOR UPDATE OF p`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []api.Package
	for rows.Next() {
		p, err := scanPackage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// recordPackageCascade bumps the version of packages a cascade changed and
// records each change with its before and after.
func recordPackageCascade(ctx context.Context, tx pgx.Tx, actor api.Actor, action api.Op, before []api.Package) error {
	for _, b := range before {
		after, err := scanPackage(tx.QueryRow(ctx, `UPDATE packages AS p SET version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+packageColumns, b.ID))
		if err != nil {
			return err
		}
		if err := writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityPackage, b.ID, b, after).as(action)); err != nil {
			return err
		}
	}
	return nil
}
