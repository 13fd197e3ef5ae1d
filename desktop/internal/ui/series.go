package ui

import (
	"context"
	"fmt"
	"strconv"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var seriesColumns = []textColumn[api.Series]{
	{"Title", 160, func(s api.Series) string { return s.Title }},
	{"Released", 90, func(s api.Series) string { return s.ReleaseDate }},
	{"Enabled", 60, func(s api.Series) string { return yesNo(s.Enabled) }},
}

var seasonColumns = []textColumn[api.Season]{
	{"Season", 60, func(z api.Season) string { return strconv.Itoa(z.SeasonNumber) }},
	{"Name", 140, func(z api.Season) string { return z.Name }},
}

var episodeColumns = []textColumn[api.Episode]{
	{"#", 40, func(e api.Episode) string { return strconv.Itoa(e.EpisodeNum) }},
	{"Title", 160, func(e api.Episode) string { return e.Title }},
	{"File", 200, func(e api.Episode) string {
		if e.StreamName != "" {
			return e.StreamName
		}
		return e.SourceURL
	}},
	{"Enabled", 60, func(e api.Episode) string { return yesNo(e.Enabled) }},
}

// seriesScreen browses series, their seasons and the episodes of a season,
// and turns episodes on and off or deletes a series.
type seriesScreen struct {
	w        *Window
	series   []api.Series
	seasons  []api.Season
	episodes []api.Episode // of the selected series, every season
	shown    []api.Episode // of the selected season
	sel      *api.Series
	season   *api.Season
	episode  *api.Episode
	list     *fitTable
	seasonT  *fitTable
	episodeT *fitTable
	info     *widget.Label
}

func newSeriesScreen(w *Window) *seriesScreen {
	s := &seriesScreen{w: w, info: statusLabel()}
	s.list = newTextTable(seriesColumns, func() []api.Series { return s.series }, s.onSeries)
	s.seasonT = newTextTable(seasonColumns, func() []api.Season { return s.seasons }, s.onSeason)
	s.episodeT = newTextTable(episodeColumns, func() []api.Episode { return s.shown },
		func(e api.Episode) { s.episode = &e })
	s.load()
	return s
}

// buildUI puts each list's actions above it, in rows that wrap, so the
// three panes fit a laptop screen.
func (s *seriesScreen) buildUI() fyne.CanvasObject {
	w := s.w
	seriesBar := wrapBar(&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.load},
		w.editButton("New series", theme.ContentAddIcon(), s.onNewSeries),
		w.editButton("Edit series", theme.DocumentCreateIcon(), s.onEditSeries),
		w.editButton("Delete series", theme.DeleteIcon(), s.onDelete))
	seasonBar := wrapBar(w.editButton("New season", theme.ContentAddIcon(), s.onNewSeason),
		w.editButton("Edit season", theme.DocumentCreateIcon(), s.onEditSeason),
		w.editButton("Season up", theme.MoveUpIcon(), func() { s.onMoveSeason(-1) }),
		w.editButton("Season down", theme.MoveDownIcon(), func() { s.onMoveSeason(1) }))
	episodeBar := wrapBar(w.editButton("New episode", theme.ContentAddIcon(), s.onNewEpisode),
		w.editButton("Edit episode", theme.DocumentCreateIcon(), s.onEditEpisode),
		w.editButton("Episode up", theme.MoveUpIcon(), func() { s.onMoveEpisode(-1) }),
		w.editButton("Episode down", theme.MoveDownIcon(), func() { s.onMoveEpisode(1) }),
		w.editButton("Enable or disable episode", theme.MediaPlayIcon(), s.onToggleEpisode))
	right := container.NewHSplit(container.NewBorder(seasonBar, nil, nil, nil, s.seasonT),
		container.NewBorder(episodeBar, nil, nil, nil, s.episodeT))
	right.SetOffset(0.38)
	body := container.NewHSplit(container.NewBorder(seriesBar, nil, nil, nil, s.list), right)
	body.SetOffset(0.29)
	return container.NewBorder(nil, s.info, nil, nil, body)
}

// load reads the first page of series (by title) and, when one is
// selected, its seasons and episodes again.
func (s *seriesScreen) load() {
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := s.w.sess.API()
		if c == nil {
			return func() {}
		}
		page, err := c.SeriesList(ctx, api.SeriesFilter{}, api.ListParams{Limit: api.MaxLimit})
		return func() {
			if err != nil {
				showOutcome(s.info, "", err)
				return
			}
			s.series = page.Items
			s.sel = latest(s.sel, s.series, func(x api.Series) int64 { return x.ID })
			s.info.SetText(fmt.Sprintf("%d series", len(s.series)))
			s.list.Refresh()
			if s.sel != nil {
				s.loadSeries(s.sel.ID)
			}
		}
	})
}

func (s *seriesScreen) onSeries(x api.Series) {
	s.sel, s.season, s.episode = &x, nil, nil
	s.loadSeries(x.ID)
}

// loadSeries reads a series' seasons and all its episodes.
func (s *seriesScreen) loadSeries(id int64) {
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := s.w.sess.API()
		if c == nil {
			return func() {}
		}
		all := api.ListParams{Limit: api.MaxLimit}
		seasons, err := c.Seasons(ctx, api.SeasonFilter{SeriesID: id}, all)
		var eps api.Page[api.Episode]
		if err == nil {
			eps, err = c.Episodes(ctx, api.EpisodeFilter{SeriesID: id}, all)
		}
		return func() {
			if err != nil {
				showOutcome(s.info, "", err)
				return
			}
			if s.sel == nil || s.sel.ID != id {
				return // another series was chosen meanwhile
			}
			s.seasons, s.episodes = seasons.Items, eps.Items
			s.season = latest(s.season, s.seasons, func(z api.Season) int64 { return z.ID })
			s.episode = latest(s.episode, s.episodes, func(e api.Episode) int64 { return e.ID })
			s.showSeason()
			s.seasonT.Refresh()
		}
	})
}

func (s *seriesScreen) onSeason(z api.Season) {
	s.season, s.episode = &z, nil
	s.showSeason()
}

// showSeason lists the episodes of the selected season.
func (s *seriesScreen) showSeason() {
	s.shown = nil
	for _, e := range s.episodes {
		if s.season != nil && e.SeasonID == s.season.ID {
			s.shown = append(s.shown, e)
		}
	}
	s.episodeT.Refresh()
}

func (s *seriesScreen) onToggleEpisode() {
	e := s.episode
	if e == nil {
		showOutcome(s.info, "", fmt.Errorf("select an episode first"))
		return
	}
	on := !e.Enabled
	s.w.call(func(ctx context.Context, c *client.Client) error {
		_, err := c.UpdateEpisode(ctx, e.ID, api.EpisodeUpdate{Enabled: &on, Version: e.Version})
		return err
	}, func(err error) {
		showOutcome(s.info, "Episode "+map[bool]string{true: "enabled", false: "disabled"}[on]+".", err)
		s.load()
	})
}

func (s *seriesScreen) onDelete() {
	x := s.sel
	if x == nil {
		showOutcome(s.info, "", fmt.Errorf("select a series first"))
		return
	}
	s.w.confirmDelete("Delete series", fmt.Sprintf("Delete %s with all its seasons and episodes? Apps lose it at once.", x.Title),
		func(ctx context.Context, c *client.Client) error { return c.DeleteSeries(ctx, x.ID) },
		func(err error) {
			showOutcome(s.info, "Series deleted.", err)
			if err == nil {
				s.sel, s.season, s.episode, s.seasons, s.episodes = nil, nil, nil, nil, nil
				s.showSeason()
				s.seasonT.Refresh()
			}
			s.load()
		})
}

// onEvent re-reads the lists when the series catalog changes anywhere.
func (s *seriesScreen) onEvent(e api.Event) {
	if changed(e, api.EntitySeries, api.EntitySeason, api.EntityEpisode) {
		s.load()
	}
}

func (s *seriesScreen) resync() { s.load() }
