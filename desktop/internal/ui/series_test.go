package ui

import (
	"testing"

	"canale/shared/api"

	"fyne.io/fyne/v2/widget"
)

func TestSeriesScreen(t *testing.T) {
	f := setup(t)
	c := f.srv.Admin
	rep, err := c.ImportSeries(ctx(t), api.SeriesImportBody{Series: []api.SeriesImport{{
		SeriesCreate: api.SeriesCreate{Title: "Harbour Lights"},
		Seasons: []api.SeasonImport{
			{Season: api.Season{SeasonNumber: 1}, Episodes: []api.EpisodeCreate{
				{EpisodeNum: 1, Title: "Arrival", StreamName: "vod/hl/1.mp4"},
				{EpisodeNum: 2, Title: "Low Tide", StreamName: "vod/hl/2.mp4"}}},
			{Season: api.Season{SeasonNumber: 2}, Episodes: []api.EpisodeCreate{
				{EpisodeNum: 1, Title: "Fog", StreamName: "vod/hl/3.mp4"}}},
		}}}})
	if err != nil || rep.Created != 1 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	f.signInAdmin(t)
	s := screenOf[*seriesScreen](t, f)
	f.waitUI(t, "the series to be listed", func() bool { return len(s.series) == 1 })
	f.ui(func() { s.list.Select(widget.TableCellID{Row: 0, Col: 0}) })
	f.waitUI(t, "its seasons", func() bool { return len(s.seasons) == 2 && len(s.episodes) == 3 })
	f.ui(func() {
		if s.seasons[0].SeasonNumber != 1 {
			t.Fatalf("seasons = %+v; want season 1 first", s.seasons)
		}
		s.seasonT.Select(widget.TableCellID{Row: 0, Col: 0})
		if len(s.shown) != 2 || s.shown[1].Title != "Low Tide" {
			t.Fatalf("episodes shown = %+v; want season 1's two", s.shown)
		}
		s.episodeT.Select(widget.TableCellID{Row: 1, Col: 0})
	})
	f.tapOn(t, s, "Enable or disable episode")
	f.waitUI(t, "the episode to be disabled", func() bool {
		for _, e := range s.episodes {
			if e.Title == "Low Tide" {
				return !e.Enabled
			}
		}
		return false
	})
	f.tapOn(t, s, "Delete series")
	f.tapDialog(t, "Delete")
	f.waitUI(t, "the series to be gone", func() bool { return len(s.series) == 0 && s.sel == nil })
	if page, err := c.SeriesList(ctx(t), api.SeriesFilter{}, api.ListParams{}); err != nil || len(page.Items) != 0 {
		t.Errorf("series after delete: %+v, %v", page.Items, err)
	}
}
