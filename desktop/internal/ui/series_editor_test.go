package ui

import (
	"slices"
	"strings"
	"testing"

	"canale/shared/api"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// dialogEntry is the field with placeholder in the dialog on top; call
// it under the UI lock.
func (f *fixture) dialogEntry(t *testing.T, placeholder string) *keyEntry {
	t.Helper()
	if top := f.win.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if e, ok := o.(*keyEntry); ok && e.PlaceHolder == placeholder {
				return e
			}
		}
	}
	t.Fatalf("no field %q in the dialog on top", placeholder)
	return nil
}

// TestSeriesEditing builds a series from nothing on the Series screen:
// the series, two seasons and two episodes through the form dialog, a
// refused rating shown under its field, an edit, and the episodes and
// seasons moved up, which swaps their numbers on the server.
func TestSeriesEditing(t *testing.T) {
	f := setup(t)
	c := f.srv.Admin
	f.signInAdmin(t)
	s := screenOf[*seriesScreen](t, f)

	f.tapOn(t, s, "New series")
	f.ui(func() {
		test.Type(f.dialogEntry(t, "e.g. Harbour Lights"), "Harbour Lights")
		for _, o := range test.LaidOutObjects(f.win.Canvas().Overlays().Top()) {
			if e, ok := o.(*keyEntry); ok && e.Text == "0" { // rating, then minutes
				e.SetText("eleven")
				break
			}
		}
	})
	f.tapDialog(t, "Save")
	f.ui(func() {
		if f.win.Canvas().Overlays().Top() == nil {
			t.Fatal("the dialog closed on a rating that does not read")
		}
		for _, o := range test.LaidOutObjects(f.win.Canvas().Overlays().Top()) {
			if e, ok := o.(*keyEntry); ok && e.Text == "eleven" {
				e.SetText("11")
			}
		}
	})
	f.tapDialog(t, "Save")
	f.waitUI(t, "the server's rating error under the field", func() bool {
		top := f.win.Canvas().Overlays().Top()
		if top == nil {
			return false
		}
		for _, o := range test.LaidOutObjects(top) {
			if l, ok := o.(*widget.Label); ok && l.Visible() && l.Importance == widget.DangerImportance && strings.Contains(l.Text, "10") {
				return true
			}
		}
		return false
	})
	f.ui(func() {
		for _, o := range test.LaidOutObjects(f.win.Canvas().Overlays().Top()) {
			if e, ok := o.(*keyEntry); ok && e.Text == "11" {
				e.SetText("8.5")
			}
		}
	})
	f.tapDialog(t, "Save")
	f.waitUI(t, "the new series listed", func() bool { return len(s.series) == 1 && f.win.Canvas().Overlays().Top() == nil })
	f.ui(func() { s.list.Select(widget.TableCellID{Row: 0, Col: 0}) })

	for range 2 { // seasons 1 and 2, numbered by the dialog
		f.tapOn(t, s, "New season")
		var n int
		f.ui(func() { n = len(s.seasons) })
		f.tapDialog(t, "Save")
		f.waitUI(t, "the season listed", func() bool { return len(s.seasons) == n+1 })
	}
	f.ui(func() { s.seasonT.Select(widget.TableCellID{Row: 0, Col: 0}) })
	for _, name := range []string{"Arrival", "Low Tide"} {
		f.tapOn(t, s, "New episode")
		f.ui(func() {
			test.Type(f.dialogEntry(t, "e.g. Arrival"), name)
			test.Type(f.dialogEntry(t, "e.g. vod/hl/s1e1.mp4"), "vod/hl/"+strings.ReplaceAll(strings.ToLower(name), " ", "-")+".mp4")
		})
		f.tapDialog(t, "Save")
		f.waitUI(t, "episode "+name+" listed", func() bool {
			return slices.ContainsFunc(s.shown, func(e api.Episode) bool { return e.Title == name })
		})
	}

	// Low Tide (2) moves up: it becomes 1 and Arrival 2.
	f.ui(func() { s.episodeT.Select(widget.TableCellID{Row: 1, Col: 0}) })
	f.tapOn(t, s, "Episode up")
	f.waitUI(t, "the episodes swapped", func() bool {
		return len(s.shown) == 2 && s.shown[0].Title == "Low Tide" && s.shown[0].EpisodeNum == 1 && s.shown[1].EpisodeNum == 2
	})
	f.tapOn(t, s, "Episode up")
	f.waitUI(t, "a refusal to move the first episode up", func() bool { return strings.Contains(s.info.Text, "already first") })

	// Season 1 moves down: it becomes 2, with its episodes.
	f.tapOn(t, s, "Season down")
	f.waitUI(t, "the seasons swapped", func() bool {
		return len(s.seasons) == 2 && s.season != nil && s.season.SeasonNumber == 2
	})
	var sid, seriesID int64
	f.ui(func() { sid, seriesID = s.season.ID, s.series[0].ID })
	page, err := c.Episodes(ctx(t), api.EpisodeFilter{}, api.ListParams{Limit: api.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range page.Items {
		if e.SeasonID == sid {
			got = append(got, e.Title)
		}
	}
	z, err := c.Season(ctx(t), sid)
	if err != nil || z.SeasonNumber != 2 || !slices.Equal(got, []string{"Low Tide", "Arrival"}) {
		t.Errorf("on the server: season %+v (%v), its episodes in order %v; want season 2 with Low Tide, Arrival", z, err, got)
	}

	// An edit sends the version read after the moves.
	f.ui(func() { s.episodeT.Select(widget.TableCellID{Row: 0, Col: 0}) })
	f.tapOn(t, s, "Edit episode")
	f.ui(func() { f.dialogEntry(t, "e.g. Arrival").SetText("Low Tide (pilot)") })
	f.tapDialog(t, "Save")
	f.waitUI(t, "the edited title", func() bool {
		return len(s.shown) > 0 && s.shown[0].Title == "Low Tide (pilot)" && f.win.Canvas().Overlays().Top() == nil
	})
	x, err := c.Series(ctx(t), seriesID)
	if err != nil || x.Rating != 8.5 || x.Title != "Harbour Lights" {
		t.Errorf("series on the server: %+v, %v; want Harbour Lights rated 8.5", x, err)
	}
}
