package store

import (
	"context"
	"fmt"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

var vodColumns = `v.id, v.title, v.stream_name, v.source_url, v.container, v.category_id, v.poster_url, v.description,
	v.duration_s, v.year, v.rating::float8, v.enabled, v.attributes, v.version, v.created_at, v.updated_at,
	v.original_title, ` + metadataColumns("v")

func scanVOD(row pgx.Row) (api.VOD, error) {
	var v api.VOD
	dest := append([]any{&v.ID, &v.Title, &v.StreamName, &v.SourceURL, &v.Container, &v.CategoryID, &v.PosterURL,
		&v.Description, &v.DurationS, &v.Year, &v.Rating, &v.Enabled, &v.Attributes, &v.Version, &v.CreatedAt, &v.UpdatedAt,
		&v.OriginalTitle}, metadataDest(&v.Metadata)...)
	err := row.Scan(dest...)
	return v, err
}

func findVOD(ctx context.Context, db querier, id int64, lock string) (api.VOD, error) {
	return scanVOD(db.QueryRow(ctx, `SELECT `+vodColumns+` FROM vod v WHERE v.id = $1`+lock, id))
}

// FindVODByID returns the VOD item with that id, or CodeNotFound.
func (s *Store) FindVODByID(ctx context.Context, id int64) (api.VOD, error) {
	v, err := findVOD(ctx, s.pool, id, "")
	if err != nil {
		return v, fmt.Errorf("find vod %d: %w", id, interpretError(err))
	}
	return v, nil
}

// FindVODs returns a page of VOD items; ?q= searches title prefixes; sort by
// title (default), year or id.
func (s *Store) FindVODs(ctx context.Context, f api.VODFilter, p api.ListParams) (api.Page[api.VOD], error) {
	q := listQuery{selectFrom: `SELECT ` + vodColumns + ` FROM vod v`, idExpr: "v.id",
		search: []string{"lower(v.title)"}, defaultSort: "title", sorts: map[string]sortKey{
			"title": {expr: "lower(v.title)", cast: "text", key: func(x any) string { return lowerString(x.(api.VOD).Title) }},
			"year":  {expr: "v.year", cast: "integer", key: func(x any) string { return fmt.Sprint(x.(api.VOD).Year) }},
			"id":    {expr: "v.id", cast: "bigint", key: func(x any) string { return fmt.Sprint(x.(api.VOD).ID) }},
		}}
	if f.CategoryID != 0 {
		q.filter("v.category_id = %s", f.CategoryID)
	}
	if f.Enabled != nil {
		q.filter("v.enabled = %s", *f.Enabled)
	}
	page, err := findPage(ctx, s.pool, q, p, scanVOD, func(v api.VOD) int64 { return v.ID })
	if err != nil {
		return page, fmt.Errorf("find vod: %w", err)
	}
	return page, nil
}

// CreateVOD adds a VOD item. It returns CodeInvalid.
func (s *Store) CreateVOD(ctx context.Context, actor api.Actor, in api.VODCreate) (api.VOD, error) {
	v := in.VOD()
	if err := v.Validate(); err != nil {
		return v, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		v, err = scanVOD(tx.QueryRow(ctx, `INSERT INTO vod AS v (title, stream_name, source_url, container, category_id,
			poster_url, description, duration_s, year, rating, enabled, attributes, original_title,
			cast_names, director, genre, release_date, backdrop_urls, trailer, tmdb_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, nullif($17, '')::date, $18, $19, $20)
			RETURNING `+vodColumns,
			append([]any{v.Title, v.StreamName, v.SourceURL, v.Container, v.CategoryID, v.PosterURL, v.Description, v.DurationS,
				v.Year, v.Rating, v.Enabled, jsonObject(v.Attributes), v.OriginalTitle}, metadataArgs(v.Metadata)...)...))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityVOD, v.ID, nil, v))
	})
	if err != nil {
		return v, fmt.Errorf("create vod: %w", err)
	}
	return v, nil
}

// UpdateVOD applies u. It returns CodeNotFound, CodeConflict or CodeInvalid.
func (s *Store) UpdateVOD(ctx context.Context, actor api.Actor, id int64, u api.VODUpdate) (api.VOD, error) {
	var after api.VOD
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findVOD(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkVersion("vod", id, before.Version, u.Version); err != nil {
			return err
		}
		after = u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		after, err = scanVOD(tx.QueryRow(ctx, `UPDATE vod AS v SET title = $2, stream_name = $3, source_url = $4,
			container = $5, category_id = $6, poster_url = $7, description = $8, duration_s = $9, year = $10,
			rating = $11, enabled = $12, attributes = $13, original_title = $14, cast_names = $15, director = $16,
			genre = $17, release_date = nullif($18, '')::date, backdrop_urls = $19, trailer = $20, tmdb_id = $21,
			version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+vodColumns,
			append([]any{id, after.Title, after.StreamName, after.SourceURL, after.Container, after.CategoryID, after.PosterURL,
				after.Description, after.DurationS, after.Year, after.Rating, after.Enabled, jsonObject(after.Attributes),
				after.OriginalTitle}, metadataArgs(after.Metadata)...)...))
		if err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityVOD, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("update vod %d: %w", id, err)
	}
	return after, nil
}

// DeleteVOD removes a VOD item and its place in packages (recorded per
// package, as for channels). It returns CodeNotFound.
func (s *Store) DeleteVOD(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findVOD(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		pkgs, err := packagesBefore(ctx, tx, `SELECT package_id FROM package_vod WHERE vod_id = $1`, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM vod WHERE id = $1`, id); err != nil {
			return err
		}
		if err := recordPackageCascade(ctx, tx, actor, "remove_vod", pkgs); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntityVOD, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete vod %d: %w", id, err)
	}
	return nil
}
