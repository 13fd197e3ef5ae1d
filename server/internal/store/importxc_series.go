package store

import (
	"context"
	"time"
)

// ImportSeries is a series of the source panel. BackdropURLs and the other
// metadata are stored as given; ReleaseDate is nil when unknown.
type ImportSeries struct {
	ID             int64
	Title          string
	CategoryID     *int64
	CoverURL       string
	Plot           string
	Cast           string
	Director       string
	Genre          string
	ReleaseDate    *time.Time
	Rating         float64
	BackdropURLs   []string
	Trailer        string
	TMDBID         string
	EpisodeRunTime int
	CreatedAt      time.Time
}

// ImportSeason is one season of an imported series. The panel has no
// season ids, so the importer numbers them; they are never in URLs.
type ImportSeason struct {
	ID           int64
	SeriesID     int64
	SeasonNumber int
	Name         string
	Overview     string
	CoverURL     string
	AirDate      *time.Time
}

// ImportEpisode is an episode; ID is the panel's stream id, which apps put
// in /series/U/P/<id>.<ext> URLs.
type ImportEpisode struct {
	ID          int64
	SeasonID    int64
	EpisodeNum  int
	Title       string
	StreamName  string
	SourceURL   string
	Container   string
	Plot        string
	DurationS   int
	Rating      float64
	ReleaseDate *time.Time
	ImageURL    string
	TMDBID      string
	CreatedAt   time.Time
	// Disabled marks an episode that has nothing to play from yet (its
	// file was on an XC server that no VOD storage maps).
	Disabled bool
}

// Series loads series, their seasons and their episodes.
func (ci *CatalogImport) Series(ctx context.Context, series []ImportSeries, seasons []ImportSeason, episodes []ImportEpisode) error {
	err := ci.copy(ctx, "series", []string{"id", "title", "category_id", "cover_url", "plot", "cast_names", "director",
		"genre", "release_date", "rating", "backdrop_urls", "trailer", "tmdb_id", "episode_run_time", "enabled",
		"created_at", "updated_at"}, len(series),
		func(i int) []any {
			r := series[i]
			at := createdAt(r.CreatedAt)
			return []any{r.ID, r.Title, r.CategoryID, r.CoverURL, r.Plot, r.Cast, r.Director, r.Genre, r.ReleaseDate,
				round2(r.Rating), nonNil(r.BackdropURLs), r.Trailer, r.TMDBID, r.EpisodeRunTime, true, at, at}
		})
	if err != nil {
		return err
	}
	err = ci.copy(ctx, "series_seasons", []string{"id", "series_id", "season_number", "name", "overview", "cover_url",
		"air_date"}, len(seasons),
		func(i int) []any {
			r := seasons[i]
			return []any{r.ID, r.SeriesID, r.SeasonNumber, r.Name, r.Overview, r.CoverURL, r.AirDate}
		})
	if err != nil {
		return err
	}
	return ci.copy(ctx, "series_episodes", []string{"id", "season_id", "episode_num", "title", "stream_name",
		"source_url", "container", "plot", "duration_s", "rating", "release_date", "image_url", "tmdb_id", "enabled",
		"created_at", "updated_at"}, len(episodes),
		func(i int) []any {
			r := episodes[i]
			at := createdAt(r.CreatedAt)
			return []any{r.ID, r.SeasonID, r.EpisodeNum, r.Title, r.StreamName, r.SourceURL, r.Container, r.Plot,
				r.DurationS, round2(r.Rating), r.ReleaseDate, r.ImageURL, r.TMDBID, !r.Disabled, at, at}
		})
}
