package store

import (
	"context"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// ReadSeries is a series as the read model keeps it, with its seasons by
// number.
type ReadSeries struct {
	ID             int64
	Title          string
	CategoryID     int64
	CoverURL       string
	Plot           string
	Rating         float64
	EpisodeRunTime int
	Enabled        bool
	Metadata       api.Metadata
	UpdatedAt      time.Time
	Seasons        []ReadSeason
}

// ReadSeason is a season with its episodes by number.
type ReadSeason struct {
	ID           int64
	SeasonNumber int
	Name         string
	Overview     string
	CoverURL     string
	AirDate      string
	Episodes     []ReadEpisode
}

// ReadEpisode is an episode as the read model keeps it.
type ReadEpisode struct {
	ID          int64
	EpisodeNum  int
	Title       string
	StreamName  string
	SourceURL   string
	Container   string
	Plot        string
	DurationS   int
	Rating      float64
	ReleaseDate string
	ImageURL    string
	TMDBID      string
	Enabled     bool
	CreatedAt   time.Time
}

// loadReadSeries reads series, seasons and episodes in three ordered scans
// and nests them, so a catalog of thousands of series costs three queries.
func loadReadSeries(ctx context.Context, tx pgx.Tx, c *ReadCatalog) error {
	rows, _ := tx.Query(ctx, `SELECT s.id, s.title, coalesce(s.category_id, 0), s.cover_url, s.plot,
		s.rating::float8, s.episode_run_time, s.enabled, s.updated_at, `+metadataColumns("s")+` FROM series s ORDER BY s.id`)
	series, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReadSeries, error) {
		var s ReadSeries
		err := r.Scan(append([]any{&s.ID, &s.Title, &s.CategoryID, &s.CoverURL, &s.Plot, &s.Rating,
			&s.EpisodeRunTime, &s.Enabled, &s.UpdatedAt}, metadataDest(&s.Metadata)...)...)
		return s, err
	})
	if err != nil {
		return err
	}
	type seasonRow struct {
		seriesID int64
		ReadSeason
	}
	rows, _ = tx.Query(ctx, `SELECT series_id, id, season_number, name, overview, cover_url,
		coalesce(to_char(air_date, 'YYYY-MM-DD'), '') FROM series_seasons ORDER BY series_id, season_number`)
	seasons, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (seasonRow, error) {
		var z seasonRow
		err := r.Scan(&z.seriesID, &z.ID, &z.SeasonNumber, &z.Name, &z.Overview, &z.CoverURL, &z.AirDate)
		return z, err
	})
	if err != nil {
		return err
	}
	type episodeRow struct {
		seasonID int64
		ReadEpisode
	}
	rows, _ = tx.Query(ctx, `SELECT season_id, id, episode_num, title, stream_name, source_url, container, plot,
		duration_s, rating::float8, coalesce(to_char(release_date, 'YYYY-MM-DD'), ''), image_url, tmdb_id, enabled,
		created_at FROM series_episodes ORDER BY season_id, episode_num`)
	episodes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (episodeRow, error) {
		var e episodeRow
		err := r.Scan(&e.seasonID, &e.ID, &e.EpisodeNum, &e.Title, &e.StreamName, &e.SourceURL, &e.Container,
			&e.Plot, &e.DurationS, &e.Rating, &e.ReleaseDate, &e.ImageURL, &e.TMDBID, &e.Enabled, &e.CreatedAt)
		return e, err
	})
	if err != nil {
		return err
	}
	bySeason := make(map[int64][]ReadEpisode)
	for _, e := range episodes {
		bySeason[e.seasonID] = append(bySeason[e.seasonID], e.ReadEpisode)
	}
	bySeries := make(map[int64][]ReadSeason)
	for _, z := range seasons {
		z.Episodes = bySeason[z.ID]
		bySeries[z.seriesID] = append(bySeries[z.seriesID], z.ReadSeason)
	}
	for i := range series {
		series[i].Seasons = bySeries[series[i].ID]
	}
	c.Series = series
	return nil
}
