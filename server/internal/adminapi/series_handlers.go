package adminapi

import (
	"context"
	"net/http"
	"strings"

	"canale/server/internal/httpserver"
	"canale/server/internal/m3uimport"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// SeriesStore is what the series routes need from the database; the error
// codes are documented on the store.
type SeriesStore interface {
	FindSeriesByID(ctx context.Context, id int64) (api.Series, error)
	FindSeries(ctx context.Context, f api.SeriesFilter, p api.ListParams) (api.Page[api.Series], error)
	CreateSeries(ctx context.Context, actor api.Actor, in api.SeriesCreate) (api.Series, error)
	UpdateSeries(ctx context.Context, actor api.Actor, id int64, u api.SeriesUpdate) (api.Series, error)
	DeleteSeries(ctx context.Context, actor api.Actor, id int64) error
	ImportSeries(ctx context.Context, actor api.Actor, body api.SeriesImportBody) (api.ImportReport, error)

	FindSeasonByID(ctx context.Context, id int64) (api.Season, error)
	FindSeasons(ctx context.Context, f api.SeasonFilter, p api.ListParams) (api.Page[api.Season], error)
	CreateSeason(ctx context.Context, actor api.Actor, z api.Season) (api.Season, error)
	UpdateSeason(ctx context.Context, actor api.Actor, id int64, u api.SeasonUpdate) (api.Season, error)
	DeleteSeason(ctx context.Context, actor api.Actor, id int64) error

	FindEpisodeByID(ctx context.Context, id int64) (api.Episode, error)
	FindEpisodes(ctx context.Context, f api.EpisodeFilter, p api.ListParams) (api.Page[api.Episode], error)
	CreateEpisode(ctx context.Context, actor api.Actor, in api.EpisodeCreate) (api.Episode, error)
	UpdateEpisode(ctx context.Context, actor api.Actor, id int64, u api.EpisodeUpdate) (api.Episode, error)
	DeleteEpisode(ctx context.Context, actor api.Actor, id int64) error
}

// collection is one CRUD resource's store methods and list filter; its
// five routes are the same for series, seasons and episodes.
type collection[T, C, U, F any] struct {
	filter func(*gin.Context) (F, error)
	find   func(context.Context, F, api.ListParams) (api.Page[T], error)
	get    func(context.Context, int64) (T, error)
	create func(context.Context, api.Actor, C) (T, error)
	update func(context.Context, api.Actor, int64, U) (T, error)
	delete func(context.Context, api.Actor, int64) error
}

func (r collection[T, C, U, F]) register(a *API, g *gin.RouterGroup, path string) {
	g.GET(path, func(c *gin.Context) {
		p, ok := a.listParams(c)
		if !ok {
			return
		}
		f, err := r.filter(c)
		if err != nil {
			a.writeError(c, err)
			return
		}
		page, err := r.find(c, f, p)
		a.reply(c, http.StatusOK, page, err)
	})
	g.POST(path, func(c *gin.Context) {
		var in C
		if a.bindJSON(c, &in) {
			v, err := r.create(c, currentActor(c), in)
			a.reply(c, http.StatusCreated, v, err)
		}
	})
	g.GET(path+"/:id", func(c *gin.Context) {
		if id, ok := a.pathID(c, "id"); ok {
			v, err := r.get(c, id)
			a.reply(c, http.StatusOK, v, err)
		}
	})
	g.PATCH(path+"/:id", func(c *gin.Context) {
		var u U
		if id, ok := a.pathID(c, "id"); ok && a.bindJSON(c, &u) {
			v, err := r.update(c, currentActor(c), id, u)
			a.reply(c, http.StatusOK, v, err)
		}
	})
	g.DELETE(path+"/:id", func(c *gin.Context) {
		if id, ok := a.pathID(c, "id"); ok {
			a.reply(c, http.StatusNoContent, nil, r.delete(c, currentActor(c), id))
		}
	})
}

// registerSeriesRoutes mounts /series, /seasons, /episodes and the bulk
// import on the writable group.
func (a *API) registerSeriesRoutes(g *gin.RouterGroup) {
	s := a.Catalog
	g.POST("/series/import", httpserver.BodyLimit(MaxImportBytes, false), a.handleSeriesImport)
	collection[api.Series, api.SeriesCreate, api.SeriesUpdate, api.SeriesFilter]{
		filter: func(c *gin.Context) (api.SeriesFilter, error) {
			var f api.SeriesFilter
			var err error
			if f.CategoryID, err = queryInt(c, "category_id"); err == nil {
				f.Enabled, err = queryBool(c, "enabled")
			}
			return f, err
		},
		find: s.FindSeries, get: s.FindSeriesByID, create: s.CreateSeries, update: s.UpdateSeries, delete: s.DeleteSeries,
	}.register(a, g, "/series")
	collection[api.Season, api.Season, api.SeasonUpdate, api.SeasonFilter]{
		filter: func(c *gin.Context) (api.SeasonFilter, error) {
			id, err := queryInt(c, "series_id")
			return api.SeasonFilter{SeriesID: id}, err
		},
		find: s.FindSeasons, get: s.FindSeasonByID, create: s.CreateSeason, update: s.UpdateSeason, delete: s.DeleteSeason,
	}.register(a, g, "/seasons")
	collection[api.Episode, api.EpisodeCreate, api.EpisodeUpdate, api.EpisodeFilter]{
		filter: func(c *gin.Context) (api.EpisodeFilter, error) {
			var f api.EpisodeFilter
			var err error
			if f.SeasonID, err = queryInt(c, "season_id"); err == nil {
				f.SeriesID, err = queryInt(c, "series_id")
			}
			return f, err
		},
		find: s.FindEpisodes, get: s.FindEpisodeByID, create: s.CreateEpisode, update: s.UpdateEpisode, delete: s.DeleteEpisode,
	}.register(a, g, "/episodes")
}

// handleSeriesImport answers POST /series/import: a JSON listing of series,
// their seasons and episodes, or (any other Content-Type) an M3U playlist
// whose titles name season and episode ("Show S01E02"). All are created or
// none.
func (a *API) handleSeriesImport(c *gin.Context) {
	var body api.SeriesImportBody
	var skipped, bad []api.ImportLine
	if strings.HasPrefix(c.ContentType(), "application/json") {
		if !a.bindJSON(c, &body) {
			return
		}
	} else {
		entries, badLines, err := m3uimport.Parse(c.Request.Body) // bounded by the route to MaxImportBytes
		if tooBig := bodyTooLarge(err); tooBig != nil {
			a.writeError(c, tooBig)
			return
		}
		if err != nil {
			a.writeError(c, api.Errorf(api.CodeInvalid, "read playlist: %v", err))
			return
		}
		body, skipped = m3uimport.Series(entries)
		bad = badLines
	}
	report, err := a.Catalog.ImportSeries(c, currentActor(c), body)
	report.Skipped = append(report.Skipped, skipped...)
	report.Errors = append(report.Errors, bad...)
	a.reply(c, http.StatusOK, report, err)
}

var seriesDocs = concat(
	crud[api.Series]("/series", "series", api.SeriesCreate{}, api.SeriesUpdate{}, "category_id", "enabled"),
	crud[api.Season]("/seasons", "season", api.Season{}, api.SeasonUpdate{}, "series_id"),
	crud[api.Episode]("/episodes", "episode", api.EpisodeCreate{}, api.EpisodeUpdate{}, "season_id", "series_id"),
	[]routeDoc{{Method: "POST", Path: "/series/import", Summary: "Import series with their seasons and episodes from a JSON listing, or from an M3U playlist (any other Content-Type) whose titles name season and episode (Show S01E02); all or nothing, errors name the place (series[0].seasons[1].episodes[2].title)",
		Request: api.SeriesImportBody{}, Response: api.ImportReport{}}},
)
