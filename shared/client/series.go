package client

import (
	"context"
	"net/http"

	"canale/shared/api"
)

func (c *Client) series() resource[api.Series, api.SeriesCreate, api.SeriesUpdate] {
	return resource[api.Series, api.SeriesCreate, api.SeriesUpdate]{c: c, path: "/api/v1/series"}
}

// SeriesList returns a page of series, selected by f as the store selects them.
func (c *Client) SeriesList(ctx context.Context, f api.SeriesFilter, p api.ListParams) (api.Page[api.Series], error) {
	return c.series().list(ctx, f, p)
}

// Series returns the series with that id.
func (c *Client) Series(ctx context.Context, id int64) (api.Series, error) {
	return c.series().get(ctx, id)
}

// CreateSeries creates a series with no seasons.
func (c *Client) CreateSeries(ctx context.Context, in api.SeriesCreate) (api.Series, error) {
	return c.series().create(ctx, in)
}

// UpdateSeries changes the set fields of u; a stale u.Version is CodeConflict.
func (c *Client) UpdateSeries(ctx context.Context, id int64, u api.SeriesUpdate) (api.Series, error) {
	return c.series().update(ctx, id, u)
}

// DeleteSeries deletes a series with its seasons and episodes.
func (c *Client) DeleteSeries(ctx context.Context, id int64) error { return c.series().delete(ctx, id) }

// ImportSeries creates every series of a listing with its seasons and
// episodes, or none of them.
func (c *Client) ImportSeries(ctx context.Context, body api.SeriesImportBody) (api.ImportReport, error) {
	var out api.ImportReport
	return out, c.do(ctx, http.MethodPost, "/api/v1/series/import", body, &out)
}

// ImportSeriesM3U imports the episodes of an M3U playlist whose titles name
// season and episode ("Show S01E02"); lines that do not are reported as
// skipped.
func (c *Client) ImportSeriesM3U(ctx context.Context, playlist []byte) (api.ImportReport, error) {
	var out api.ImportReport
	return out, c.raw(ctx, http.MethodPost, "/api/v1/series/import", "audio/x-mpegurl", playlist, &out, nil)
}

func (c *Client) seasons() resource[api.Season, api.Season, api.SeasonUpdate] {
	return resource[api.Season, api.Season, api.SeasonUpdate]{c: c, path: "/api/v1/seasons"}
}

// Seasons returns a page of seasons, selected by f as the store selects them.
func (c *Client) Seasons(ctx context.Context, f api.SeasonFilter, p api.ListParams) (api.Page[api.Season], error) {
	return c.seasons().list(ctx, f, p)
}

// Season returns the season with that id.
func (c *Client) Season(ctx context.Context, id int64) (api.Season, error) {
	return c.seasons().get(ctx, id)
}

// CreateSeason adds a season to in.SeriesID.
func (c *Client) CreateSeason(ctx context.Context, in api.Season) (api.Season, error) {
	return c.seasons().create(ctx, in)
}

// UpdateSeason changes the set fields of u; a stale u.Version is CodeConflict.
func (c *Client) UpdateSeason(ctx context.Context, id int64, u api.SeasonUpdate) (api.Season, error) {
	return c.seasons().update(ctx, id, u)
}

// DeleteSeason deletes a season with its episodes.
func (c *Client) DeleteSeason(ctx context.Context, id int64) error {
	return c.seasons().delete(ctx, id)
}

func (c *Client) episodes() resource[api.Episode, api.EpisodeCreate, api.EpisodeUpdate] {
	return resource[api.Episode, api.EpisodeCreate, api.EpisodeUpdate]{c: c, path: "/api/v1/episodes"}
}

// Episodes returns a page of episodes, selected by f as the store selects them.
func (c *Client) Episodes(ctx context.Context, f api.EpisodeFilter, p api.ListParams) (api.Page[api.Episode], error) {
	return c.episodes().list(ctx, f, p)
}

// Episode returns the episode with that id.
func (c *Client) Episode(ctx context.Context, id int64) (api.Episode, error) {
	return c.episodes().get(ctx, id)
}

// CreateEpisode adds an episode to in.SeasonID.
func (c *Client) CreateEpisode(ctx context.Context, in api.EpisodeCreate) (api.Episode, error) {
	return c.episodes().create(ctx, in)
}

// UpdateEpisode changes the set fields of u; a stale u.Version is CodeConflict.
func (c *Client) UpdateEpisode(ctx context.Context, id int64, u api.EpisodeUpdate) (api.Episode, error) {
	return c.episodes().update(ctx, id, u)
}

// DeleteEpisode deletes an episode.
func (c *Client) DeleteEpisode(ctx context.Context, id int64) error {
	return c.episodes().delete(ctx, id)
}
