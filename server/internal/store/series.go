package store

import (
	"context"
	"fmt"
	"strconv"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// metadataColumns selects the metadata columns movies, series share, in the
// order metadataDest scans them; an unknown date reads as "".
func metadataColumns(t string) string {
	return t + `.cast_names, ` + t + `.director, ` + t + `.genre, coalesce(to_char(` + t + `.release_date, 'YYYY-MM-DD'), ''), ` +
		t + `.backdrop_urls, ` + t + `.trailer, ` + t + `.tmdb_id`
}

func metadataDest(m *api.Metadata) []any {
	return []any{&m.Cast, &m.Director, &m.Genre, &m.ReleaseDate, &m.BackdropURLs, &m.Trailer, &m.TMDBID}
}

// metadataArgs are the values of the metadata columns; the release date's
// placeholder must read nullif($n, ”)::date.
func metadataArgs(m api.Metadata) []any {
	urls := m.BackdropURLs
	if urls == nil {
		urls = []string{}
	}
	return []any{m.Cast, m.Director, m.Genre, m.ReleaseDate, urls, m.Trailer, m.TMDBID}
}

const seriesColumns = `s.id, s.title, s.category_id, s.cover_url, s.plot, s.rating::float8, s.episode_run_time,
	s.enabled, s.attributes, s.version, s.created_at, s.updated_at, ` + `s.cast_names, s.director, s.genre,
	coalesce(to_char(s.release_date, 'YYYY-MM-DD'), ''), s.backdrop_urls, s.trailer, s.tmdb_id`

func scanSeries(row pgx.Row) (api.Series, error) {
	var s api.Series
	dest := append([]any{&s.ID, &s.Title, &s.CategoryID, &s.CoverURL, &s.Plot, &s.Rating, &s.EpisodeRunTime,
		&s.Enabled, &s.Attributes, &s.Version, &s.CreatedAt, &s.UpdatedAt}, metadataDest(&s.Metadata)...)
	err := row.Scan(dest...)
	return s, err
}

func findSeries(ctx context.Context, db querier, id int64, lock string) (api.Series, error) {
	return scanSeries(db.QueryRow(ctx, `SELECT `+seriesColumns+` FROM series s WHERE s.id = $1`+lock, id))
}

// FindSeriesByID returns the series with that id, or CodeNotFound.
func (s *Store) FindSeriesByID(ctx context.Context, id int64) (api.Series, error) {
	v, err := findSeries(ctx, s.pool, id, "")
	if err != nil {
		return v, fmt.Errorf("find series %d: %w", id, interpretError(err))
	}
	return v, nil
}

// FindSeries returns a page of series; ?q= searches title prefixes; sort by
// title (default) or id.
func (s *Store) FindSeries(ctx context.Context, f api.SeriesFilter, p api.ListParams) (api.Page[api.Series], error) {
	q := listQuery{selectFrom: `SELECT ` + seriesColumns + ` FROM series s`, idExpr: "s.id",
		search: []string{"lower(s.title)"}, defaultSort: "title", sorts: map[string]sortKey{
			"title": {expr: "lower(s.title)", cast: "text", key: func(x any) string { return lowerString(x.(api.Series).Title) }},
			"id":    {expr: "s.id", cast: "bigint", key: func(x any) string { return fmt.Sprint(x.(api.Series).ID) }},
		}}
	if f.CategoryID != 0 {
		q.filter("s.category_id = %s", f.CategoryID)
	}
	if f.Enabled != nil {
		q.filter("s.enabled = %s", *f.Enabled)
	}
	page, err := findPage(ctx, s.pool, q, p, scanSeries, func(v api.Series) int64 { return v.ID })
	if err != nil {
		return page, fmt.Errorf("find series: %w", err)
	}
	return page, nil
}

// CreateSeries adds a series with no seasons. It returns CodeInvalid.
func (s *Store) CreateSeries(ctx context.Context, actor api.Actor, in api.SeriesCreate) (api.Series, error) {
	v := in.Series()
	if err := v.Validate(); err != nil {
		return v, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		v, err = insertSeries(ctx, tx, actor, v)
		return err
	})
	if err != nil {
		return v, fmt.Errorf("create series: %w", err)
	}
	return v, nil
}

func insertSeries(ctx context.Context, tx pgx.Tx, actor api.Actor, v api.Series) (api.Series, error) {
	v, err := scanSeries(tx.QueryRow(ctx, `INSERT INTO series AS s (title, category_id, cover_url, plot, rating,
		episode_run_time, enabled, attributes, cast_names, director, genre, release_date, backdrop_urls, trailer, tmdb_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, nullif($12, '')::date, $13, $14, $15) RETURNING `+seriesColumns,
		append([]any{v.Title, v.CategoryID, v.CoverURL, v.Plot, v.Rating, v.EpisodeRunTime, v.Enabled,
			jsonObject(v.Attributes)}, metadataArgs(v.Metadata)...)...))
	if err != nil {
		return v, categoryRef(err)
	}
	return v, writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntitySeries, v.ID, nil, v))
}

// categoryRef names the field of a series whose category does not exist.
func categoryRef(err error) error {
	if api.ErrorCode(interpretError(err)) == api.CodeInvalid {
		return &api.Error{Code: api.CodeInvalid, Message: "refers to a missing category",
			Fields: map[string]string{"category_id": "no such category"}}
	}
	return err
}

// UpdateSeries applies u. It returns CodeNotFound, CodeConflict or CodeInvalid.
func (s *Store) UpdateSeries(ctx context.Context, actor api.Actor, id int64, u api.SeriesUpdate) (api.Series, error) {
	var after api.Series
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findSeries(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkVersion("series", id, before.Version, u.Version); err != nil {
			return err
		}
		after = u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		after, err = scanSeries(tx.QueryRow(ctx, `UPDATE series AS s SET title = $2, category_id = $3, cover_url = $4,
			plot = $5, rating = $6, episode_run_time = $7, enabled = $8, attributes = $9, cast_names = $10,
			director = $11, genre = $12, release_date = nullif($13, '')::date, backdrop_urls = $14, trailer = $15,
			tmdb_id = $16, version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+seriesColumns,
			append([]any{id, after.Title, after.CategoryID, after.CoverURL, after.Plot, after.Rating, after.EpisodeRunTime,
				after.Enabled, jsonObject(after.Attributes)}, metadataArgs(after.Metadata)...)...))
		if err != nil {
			return categoryRef(err)
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntitySeries, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("update series %d: %w", id, err)
	}
	return after, nil
}

// DeleteSeries removes a series with its seasons and episodes, and its place
// in packages (recorded per package, as for channels). It returns
// CodeNotFound.
func (s *Store) DeleteSeries(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findSeries(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		pkgs, err := packagesBefore(ctx, tx, `SELECT package_id FROM package_series WHERE series_id = $1`, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM series WHERE id = $1`, id); err != nil {
			return err
		}
		if err := recordPackageCascade(ctx, tx, actor, "remove_series", pkgs); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntitySeries, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete series %d: %w", id, err)
	}
	return nil
}

const seasonColumns = `z.id, z.series_id, z.season_number, z.name, z.overview, z.cover_url,
	coalesce(to_char(z.air_date, 'YYYY-MM-DD'), ''), z.version, z.created_at, z.updated_at`

func scanSeason(row pgx.Row) (api.Season, error) {
	var z api.Season
	err := row.Scan(&z.ID, &z.SeriesID, &z.SeasonNumber, &z.Name, &z.Overview, &z.CoverURL, &z.AirDate,
		&z.Version, &z.CreatedAt, &z.UpdatedAt)
	return z, err
}

func findSeason(ctx context.Context, db querier, id int64, lock string) (api.Season, error) {
	return scanSeason(db.QueryRow(ctx, `SELECT `+seasonColumns+` FROM series_seasons z WHERE z.id = $1`+lock, id))
}

// FindSeasonByID returns the season with that id, or CodeNotFound.
func (s *Store) FindSeasonByID(ctx context.Context, id int64) (api.Season, error) {
	z, err := findSeason(ctx, s.pool, id, "")
	if err != nil {
		return z, fmt.Errorf("find season %d: %w", id, interpretError(err))
	}
	return z, nil
}

// FindSeasons returns a page of seasons; sort by season_number (default) or id.
func (s *Store) FindSeasons(ctx context.Context, f api.SeasonFilter, p api.ListParams) (api.Page[api.Season], error) {
	q := listQuery{selectFrom: `SELECT ` + seasonColumns + ` FROM series_seasons z`, idExpr: "z.id",
		search: []string{"lower(z.name)"}, defaultSort: "season_number", sorts: map[string]sortKey{
			"season_number": {expr: "z.season_number", cast: "integer", key: func(x any) string { return fmt.Sprint(x.(api.Season).SeasonNumber) }},
			"id":            {expr: "z.id", cast: "bigint", key: func(x any) string { return fmt.Sprint(x.(api.Season).ID) }},
		}}
	if f.SeriesID != 0 {
		q.filter("z.series_id = %s", f.SeriesID)
	}
	page, err := findPage(ctx, s.pool, q, p, scanSeason, func(z api.Season) int64 { return z.ID })
	if err != nil {
		return page, fmt.Errorf("find seasons: %w", err)
	}
	return page, nil
}

// CreateSeason adds a season to a series. It returns CodeInvalid (also for
// a series that does not exist) or CodeConflict when the series has that
// season number.
func (s *Store) CreateSeason(ctx context.Context, actor api.Actor, z api.Season) (api.Season, error) {
	z = z.Normalize()
	if err := z.Validate(); err != nil {
		return z, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		z, err = insertSeason(ctx, tx, actor, z)
		return err
	})
	if err != nil {
		return z, fmt.Errorf("create season: %w", err)
	}
	return z, nil
}

func insertSeason(ctx context.Context, tx pgx.Tx, actor api.Actor, z api.Season) (api.Season, error) {
	z, err := scanSeason(tx.QueryRow(ctx, `INSERT INTO series_seasons AS z (series_id, season_number, name, overview,
		cover_url, air_date) VALUES ($1, $2, $3, $4, $5, nullif($6, '')::date) RETURNING `+seasonColumns,
		z.SeriesID, z.SeasonNumber, z.Name, z.Overview, z.CoverURL, z.AirDate))
	if err != nil {
		return z, seasonRef(err)
	}
	return z, writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntitySeason, z.ID, nil, z))
}

// seasonRef names the field of a season write that broke a reference or
// took a season number the series has.
func seasonRef(err error) error {
	switch api.ErrorCode(interpretError(err)) {
	case api.CodeInvalid:
		return &api.Error{Code: api.CodeInvalid, Message: "refers to a missing series",
			Fields: map[string]string{"series_id": "no such series"}}
	case api.CodeConflict:
		return &api.Error{Code: api.CodeConflict, Message: "the series has that season already",
			Fields: map[string]string{"season_number": "already taken"}}
	}
	return err
}

// UpdateSeason applies u. It returns CodeNotFound, CodeConflict or CodeInvalid.
func (s *Store) UpdateSeason(ctx context.Context, actor api.Actor, id int64, u api.SeasonUpdate) (api.Season, error) {
	var after api.Season
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findSeason(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkVersion("season", id, before.Version, u.Version); err != nil {
			return err
		}
		after = u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		after, err = scanSeason(tx.QueryRow(ctx, `UPDATE series_seasons AS z SET season_number = $2, name = $3,
			overview = $4, cover_url = $5, air_date = nullif($6, '')::date, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+seasonColumns,
			id, after.SeasonNumber, after.Name, after.Overview, after.CoverURL, after.AirDate))
		if err != nil {
			return seasonRef(err)
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntitySeason, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("update season %d: %w", id, err)
	}
	return after, nil
}

// DeleteSeason removes a season and its episodes. It returns CodeNotFound.
func (s *Store) DeleteSeason(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findSeason(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM series_seasons WHERE id = $1`, id); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntitySeason, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete season %d: %w", id, err)
	}
	return nil
}

const episodeColumns = `e.id, e.season_id, (SELECT z.series_id FROM series_seasons z WHERE z.id = e.season_id),
	e.episode_num, e.title, e.stream_name, e.source_url, e.container, e.plot, e.duration_s, e.rating::float8,
	coalesce(to_char(e.release_date, 'YYYY-MM-DD'), ''), e.image_url, e.tmdb_id, e.enabled, e.version,
	e.created_at, e.updated_at`

func scanEpisode(row pgx.Row) (api.Episode, error) {
	var e api.Episode
	err := row.Scan(&e.ID, &e.SeasonID, &e.SeriesID, &e.EpisodeNum, &e.Title, &e.StreamName, &e.SourceURL,
		&e.Container, &e.Plot, &e.DurationS, &e.Rating, &e.ReleaseDate, &e.ImageURL, &e.TMDBID, &e.Enabled,
		&e.Version, &e.CreatedAt, &e.UpdatedAt)
	return e, err
}

func findEpisode(ctx context.Context, db querier, id int64, lock string) (api.Episode, error) {
	return scanEpisode(db.QueryRow(ctx, `SELECT `+episodeColumns+` FROM series_episodes e WHERE e.id = $1`+lock, id))
}

// FindEpisodeByID returns the episode with that id, or CodeNotFound.
func (s *Store) FindEpisodeByID(ctx context.Context, id int64) (api.Episode, error) {
	e, err := findEpisode(ctx, s.pool, id, "")
	if err != nil {
		return e, fmt.Errorf("find episode %d: %w", id, interpretError(err))
	}
	return e, nil
}

// FindEpisodes returns a page of episodes; ?q= searches title prefixes;
// sort by episode_num (default) or id.
func (s *Store) FindEpisodes(ctx context.Context, f api.EpisodeFilter, p api.ListParams) (api.Page[api.Episode], error) {
	q := listQuery{selectFrom: `SELECT ` + episodeColumns + ` FROM series_episodes e`, idExpr: "e.id",
		search: []string{"lower(e.title)"}, defaultSort: "episode_num", sorts: map[string]sortKey{
			"episode_num": {expr: "e.episode_num", cast: "integer", key: func(x any) string { return fmt.Sprint(x.(api.Episode).EpisodeNum) }},
			"id":          {expr: "e.id", cast: "bigint", key: func(x any) string { return fmt.Sprint(x.(api.Episode).ID) }},
		}}
	if f.SeasonID != 0 {
		q.filter("e.season_id = %s", f.SeasonID)
	}
	if f.SeriesID != 0 {
		q.filter("e.season_id IN (SELECT z.id FROM series_seasons z WHERE z.series_id = %s)", f.SeriesID)
	}
	page, err := findPage(ctx, s.pool, q, p, scanEpisode, func(e api.Episode) int64 { return e.ID })
	if err != nil {
		return page, fmt.Errorf("find episodes: %w", err)
	}
	return page, nil
}

// CreateEpisode adds an episode to a season. It returns CodeInvalid (also
// for a season that does not exist) or CodeConflict when the season has
// that episode number.
func (s *Store) CreateEpisode(ctx context.Context, actor api.Actor, in api.EpisodeCreate) (api.Episode, error) {
	e := in.Episode()
	if err := e.Validate(); err != nil {
		return e, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		e, err = insertEpisode(ctx, tx, actor, e)
		return err
	})
	if err != nil {
		return e, fmt.Errorf("create episode: %w", err)
	}
	return e, nil
}

func insertEpisode(ctx context.Context, tx pgx.Tx, actor api.Actor, e api.Episode) (api.Episode, error) {
	e, err := scanEpisode(tx.QueryRow(ctx, `INSERT INTO series_episodes AS e (season_id, episode_num, title,
		stream_name, source_url, container, plot, duration_s, rating, release_date, image_url, tmdb_id, enabled)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nullif($10, '')::date, $11, $12, $13) RETURNING `+episodeColumns,
		e.SeasonID, e.EpisodeNum, e.Title, e.StreamName, e.SourceURL, e.Container, e.Plot, e.DurationS, e.Rating,
		e.ReleaseDate, e.ImageURL, e.TMDBID, e.Enabled))
	if err != nil {
		return e, episodeRef(err)
	}
	return e, writeChange(ctx, tx, rowWrite(actor, api.OpCreate, api.EntityEpisode, e.ID, nil, e))
}

// episodeRef names the field of an episode write that broke a reference or
// took an episode number the season has.
func episodeRef(err error) error {
	switch api.ErrorCode(interpretError(err)) {
	case api.CodeInvalid:
		return &api.Error{Code: api.CodeInvalid, Message: "refers to a missing season",
			Fields: map[string]string{"season_id": "no such season"}}
	case api.CodeConflict:
		return &api.Error{Code: api.CodeConflict, Message: "the season has that episode already",
			Fields: map[string]string{"episode_num": "already taken"}}
	}
	return err
}

// UpdateEpisode applies u. It returns CodeNotFound, CodeConflict or CodeInvalid.
func (s *Store) UpdateEpisode(ctx context.Context, actor api.Actor, id int64, u api.EpisodeUpdate) (api.Episode, error) {
	var after api.Episode
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findEpisode(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkVersion("episode", id, before.Version, u.Version); err != nil {
			return err
		}
		after = u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		after, err = scanEpisode(tx.QueryRow(ctx, `UPDATE series_episodes AS e SET season_id = $2, episode_num = $3,
			title = $4, stream_name = $5, source_url = $6, container = $7, plot = $8, duration_s = $9, rating = $10,
			release_date = nullif($11, '')::date, image_url = $12, tmdb_id = $13, enabled = $14,
			version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+episodeColumns,
			id, after.SeasonID, after.EpisodeNum, after.Title, after.StreamName, after.SourceURL, after.Container,
			after.Plot, after.DurationS, after.Rating, after.ReleaseDate, after.ImageURL, after.TMDBID, after.Enabled))
		if err != nil {
			return episodeRef(err)
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpUpdate, api.EntityEpisode, id, before, after))
	})
	if err != nil {
		return after, fmt.Errorf("update episode %d: %w", id, err)
	}
	return after, nil
}

// DeleteEpisode removes an episode. It returns CodeNotFound.
func (s *Store) DeleteEpisode(ctx context.Context, actor api.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := findEpisode(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM series_episodes WHERE id = $1`, id); err != nil {
			return err
		}
		return writeChange(ctx, tx, rowWrite(actor, api.OpDelete, api.EntityEpisode, id, before, nil))
	})
	if err != nil {
		return fmt.Errorf("delete episode %d: %w", id, err)
	}
	return nil
}

// ImportSeries creates every series of a JSON listing with its seasons and
// episodes in one transaction: a bad field anywhere changes nothing, and the
// error names it by its place, e.g. series[0].seasons[1].episodes[2].title.
func (s *Store) ImportSeries(ctx context.Context, actor api.Actor, body api.SeriesImportBody) (api.ImportReport, error) {
	rep := api.ImportReport{Total: len(body.Series), Skipped: []api.ImportLine{}, Errors: []api.ImportLine{}}
	if f := validateSeriesImport(body); len(f) > 0 {
		return rep, f.Err()
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for i, in := range body.Series {
			at := "series[" + strconv.Itoa(i) + "]"
			v, err := insertSeries(ctx, tx, actor, in.Series())
			if err != nil {
				return prefixFields(err, at)
			}
			for j, zin := range in.Seasons {
				zat := at + ".seasons[" + strconv.Itoa(j) + "]"
				zin.Season.SeriesID = v.ID
				z, err := insertSeason(ctx, tx, actor, zin.Season.Normalize())
				if err != nil {
					return prefixFields(err, zat)
				}
				for k, ein := range zin.Episodes {
					ein.SeasonID = z.ID
					if _, err := insertEpisode(ctx, tx, actor, ein.Episode()); err != nil {
						return prefixFields(err, zat+".episodes["+strconv.Itoa(k)+"]")
					}
				}
			}
			rep.Created++
		}
		return nil
	})
	if err != nil {
		rep.Created = 0
		return rep, fmt.Errorf("import series: %w", err)
	}
	rep.Applied = true
	return rep, nil
}

// validateSeriesImport checks every item of a listing before any is
// written, so one answer names all bad fields.
func validateSeriesImport(body api.SeriesImportBody) api.FieldErrors {
	f := api.FieldErrors{}
	add := func(at string, err error) {
		if e, ok := err.(*api.Error); ok {
			for k, v := range e.Fields {
				f.Add(at+"."+k, v)
			}
		}
	}
	for i, in := range body.Series {
		at := "series[" + strconv.Itoa(i) + "]"
		add(at, in.Series().Validate())
		for j, zin := range in.Seasons {
			zat := at + ".seasons[" + strconv.Itoa(j) + "]"
			z := zin.Season.Normalize()
			z.SeriesID = 1 // assigned on insert
			add(zat, z.Validate())
			for k, ein := range zin.Episodes {
				ein.SeasonID = 1
				add(zat+".episodes["+strconv.Itoa(k)+"]", ein.Episode().Validate())
			}
		}
	}
	return f
}

// prefixFields names an error's fields by their place in an import.
func prefixFields(err error, at string) error {
	e, ok := interpretError(err).(*api.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := &api.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{}}
	for k, v := range e.Fields {
		out.Fields[at+"."+k] = v
	}
	return out
}
