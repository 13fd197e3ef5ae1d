package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The series screen's editors: each a formDialog over the fields an
// operator sets by hand; metadata that comes with an import (cast,
// backdrops, trailer) keeps its value, as an edit sends only these fields.

// floatField reads a decimal number typed into the field key; empty is 0.
func floatField(key, s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, invalidField(key, "must be a number")
	}
	return v, nil
}

// seriesEditor creates a series (x.ID 0) or edits one.
type seriesEditor struct {
	*formDialog
	x                                    api.Series
	title, cover, rating, runTime, genre *keyEntry
	released                             *keyEntry
	plot                                 *keyEntry
	enabled                              *widget.Check
}

func newSeriesEditor(w *Window, x api.Series) *seriesEditor {
	e := &seriesEditor{x: x, title: w.entry(x.Title, "e.g. Harbour Lights"), cover: w.entry(x.CoverURL, "e.g. https://cdn.example.com/hl.jpg"),
		rating: w.entry(strconv.FormatFloat(x.Rating, 'f', -1, 64), ""), runTime: w.entry(strconv.Itoa(x.EpisodeRunTime), ""),
		genre: w.entry(x.Genre, "e.g. Drama, Crime"), released: w.entry(x.ReleaseDate, "YYYY-MM-DD"),
		plot: w.multiLineEntry(""), enabled: &widget.Check{Text: "Enabled", Checked: x.ID == 0 || x.Enabled}}
	e.plot.SetText(x.Plot)
	e.plot.SetMinRowsVisible(3)
	e.formDialog = newFormDialog(w, []formField{
		{label: "Title", key: "title", widget: e.title}, {label: "Plot", key: "plot", widget: e.plot},
		{label: "Genre", key: "genre", widget: e.genre}, {label: "Released", key: "release_date", widget: e.released},
		{label: "Rating (0–10)", key: "rating", widget: e.rating},
		{label: "Episode minutes", key: "episode_run_time", widget: e.runTime},
		{label: "Cover URL", key: "cover_url", widget: e.cover}, {label: "", key: "enabled", widget: e.enabled}})
	return e
}

func (e *seriesEditor) read() (saveCall, error) {
	rating, err := floatField("rating", e.rating.Text)
	if err != nil {
		return nil, err
	}
	runTime, err := intField("episode_run_time", e.runTime.Text)
	if err != nil {
		return nil, err
	}
	title, plot, cover, genre, released := strings.TrimSpace(e.title.Text), e.plot.Text, strings.TrimSpace(e.cover.Text),
		strings.TrimSpace(e.genre.Text), strings.TrimSpace(e.released.Text)
	on := e.enabled.Checked
	if e.x.ID == 0 {
		in := api.SeriesCreate{Title: title, Plot: plot, CoverURL: cover, Rating: rating, EpisodeRunTime: runTime, Enabled: &on,
			Metadata: api.Metadata{Genre: genre, ReleaseDate: released}}
		return func(ctx context.Context, c *client.Client) error { _, err := c.CreateSeries(ctx, in); return err }, nil
	}
	id, u := e.x.ID, api.SeriesUpdate{Title: &title, Plot: &plot, CoverURL: &cover, Rating: &rating, EpisodeRunTime: &runTime,
		Enabled: &on, MetadataUpdate: api.MetadataUpdate{Genre: &genre, ReleaseDate: &released}, Version: e.x.Version}
	return func(ctx context.Context, c *client.Client) error { _, err := c.UpdateSeries(ctx, id, u); return err }, nil
}

// seasonEditor creates a season of a series (z.ID 0) or edits one.
type seasonEditor struct {
	*formDialog
	z                            api.Season
	number, name, airDate, cover *keyEntry
	overview                     *keyEntry
}

func newSeasonEditor(w *Window, z api.Season) *seasonEditor {
	e := &seasonEditor{z: z, number: w.entry(strconv.Itoa(z.SeasonNumber), ""), name: w.entry(z.Name, "empty: Season N"),
		airDate: w.entry(z.AirDate, "YYYY-MM-DD"), cover: w.entry(z.CoverURL, "e.g. https://cdn.example.com/s1.jpg"),
		overview: w.multiLineEntry("")}
	e.overview.SetText(z.Overview)
	e.formDialog = newFormDialog(w, []formField{
		{label: "Season", key: "season_number", widget: e.number}, {label: "Name", key: "name", widget: e.name},
		{label: "Overview", key: "overview", widget: e.overview}, {label: "Air date", key: "air_date", widget: e.airDate},
		{label: "Cover URL", key: "cover_url", widget: e.cover}})
	return e
}

func (e *seasonEditor) read() (saveCall, error) {
	n, err := intField("season_number", e.number.Text)
	if err != nil {
		return nil, err
	}
	name, overview, air, cover := strings.TrimSpace(e.name.Text), e.overview.Text, strings.TrimSpace(e.airDate.Text), strings.TrimSpace(e.cover.Text)
	if e.z.ID == 0 {
		in := api.Season{SeriesID: e.z.SeriesID, SeasonNumber: n, Name: name, Overview: overview, AirDate: air, CoverURL: cover}
		return func(ctx context.Context, c *client.Client) error { _, err := c.CreateSeason(ctx, in); return err }, nil
	}
	id, u := e.z.ID, api.SeasonUpdate{SeasonNumber: &n, Name: &name, Overview: &overview, AirDate: &air, CoverURL: &cover, Version: e.z.Version}
	return func(ctx context.Context, c *client.Client) error { _, err := c.UpdateSeason(ctx, id, u); return err }, nil
}

// episodeEditor creates an episode of a season (ep.ID 0) or edits one.
type episodeEditor struct {
	*formDialog
	ep                                           api.Episode
	number, title, stream, source, ext, duration *keyEntry
	plot                                         *keyEntry
	enabled                                      *widget.Check
}

func newEpisodeEditor(w *Window, ep api.Episode) *episodeEditor {
	e := &episodeEditor{ep: ep, number: w.entry(strconv.Itoa(ep.EpisodeNum), ""), title: w.entry(ep.Title, "e.g. Arrival"),
		stream: w.entry(ep.StreamName, "e.g. vod/hl/s1e1.mp4"), source: w.entry(ep.SourceURL, "e.g. https://vod.example.com/s1e1.mp4"),
		ext: w.entry(ep.Container, "e.g. mp4"), duration: w.entry(strconv.Itoa(ep.DurationS), ""),
		plot: w.multiLineEntry(""), enabled: &widget.Check{Text: "Enabled", Checked: ep.ID == 0 || ep.Enabled}}
	e.plot.SetText(ep.Plot)
	e.formDialog = newFormDialog(w, []formField{
		{label: "Episode", key: "episode_num", widget: e.number}, {label: "Title", key: "title", widget: e.title},
		{label: "Stream", key: "stream_name", widget: e.stream, hint: "a path on the streamers' VOD location"},
		{label: "or source URL", key: "source_url", widget: e.source},
		{label: "Container", key: "container", widget: e.ext}, {label: "Seconds", key: "duration_s", widget: e.duration},
		{label: "Plot", key: "plot", widget: e.plot}, {label: "", key: "enabled", widget: e.enabled}})
	return e
}

func (e *episodeEditor) read() (saveCall, error) {
	n, err := intField("episode_num", e.number.Text)
	if err != nil {
		return nil, err
	}
	dur, err := intField("duration_s", e.duration.Text)
	if err != nil {
		return nil, err
	}
	title, stream, source, ext, plot := strings.TrimSpace(e.title.Text), strings.TrimSpace(e.stream.Text),
		strings.TrimSpace(e.source.Text), strings.TrimSpace(e.ext.Text), e.plot.Text
	on := e.enabled.Checked
	if e.ep.ID == 0 {
		in := api.EpisodeCreate{SeasonID: e.ep.SeasonID, EpisodeNum: n, Title: title, StreamName: stream, SourceURL: source,
			Container: ext, DurationS: dur, Plot: plot, Enabled: &on}
		return func(ctx context.Context, c *client.Client) error { _, err := c.CreateEpisode(ctx, in); return err }, nil
	}
	id, u := e.ep.ID, api.EpisodeUpdate{EpisodeNum: &n, Title: &title, StreamName: &stream, SourceURL: &source, Container: &ext,
		DurationS: &dur, Plot: &plot, Enabled: &on, Version: e.ep.Version}
	return func(ctx context.Context, c *client.Client) error { _, err := c.UpdateEpisode(ctx, id, u); return err }, nil
}

// The editors open at one size: big enough for the plot's lines.
var seriesDialogSize = fyne.NewSize(560, 560)

func (s *seriesScreen) onNewSeries() {
	e := newSeriesEditor(s.w, api.Series{})
	e.open("New series", seriesDialogSize, e.read, s.load)
}

func (s *seriesScreen) onEditSeries() {
	if s.sel == nil {
		showOutcome(s.info, "", errors.New("select a series first"))
		return
	}
	e := newSeriesEditor(s.w, *s.sel)
	e.open("Series "+s.sel.Title, seriesDialogSize, e.read, s.load)
}

func (s *seriesScreen) onNewSeason() {
	if s.sel == nil {
		showOutcome(s.info, "", errors.New("select a series first"))
		return
	}
	next := 1
	for _, z := range s.seasons {
		next = max(next, z.SeasonNumber+1)
	}
	e := newSeasonEditor(s.w, api.Season{SeriesID: s.sel.ID, SeasonNumber: next})
	e.open("New season of "+s.sel.Title, seriesDialogSize, e.read, s.load)
}

func (s *seriesScreen) onEditSeason() {
	if s.season == nil {
		showOutcome(s.info, "", errors.New("select a season first"))
		return
	}
	e := newSeasonEditor(s.w, *s.season)
	e.open(fmt.Sprintf("Season %d", s.season.SeasonNumber), seriesDialogSize, e.read, s.load)
}

func (s *seriesScreen) onNewEpisode() {
	if s.season == nil {
		showOutcome(s.info, "", errors.New("select a season first"))
		return
	}
	next := 1
	for _, ep := range s.shown {
		next = max(next, ep.EpisodeNum+1)
	}
	e := newEpisodeEditor(s.w, api.Episode{SeasonID: s.season.ID, EpisodeNum: next})
	e.open(fmt.Sprintf("New episode of season %d", s.season.SeasonNumber), seriesDialogSize, e.read, s.load)
}

func (s *seriesScreen) onEditEpisode() {
	if s.episode == nil {
		showOutcome(s.info, "", errors.New("select an episode first"))
		return
	}
	e := newEpisodeEditor(s.w, *s.episode)
	e.open("Episode "+s.episode.Title, seriesDialogSize, e.read, s.load)
}

// swapNumbers swaps the numbers of two items that must stay unique within
// their parent (seasons of a series, episodes of a season). The API has
// no reorder call, so it takes three updates: a parks at spare (a number
// no sibling holds), b takes a's number, a takes b's. Each update is an
// ordinary audited edit; should one fail, a is put back where it was.
func swapNumbers(ctx context.Context, aNum, bNum, spare int, set func(ctx context.Context, a bool, n int) error) error {
	if err := set(ctx, true, spare); err != nil {
		return err
	}
	if err := set(ctx, false, aNum); err != nil {
		return errors.Join(err, set(ctx, true, aNum))
	}
	return set(ctx, true, bNum)
}

// neighbour is the index of the item next to i in direction d (-1 up,
// +1 down) of a list sorted by number, or an error naming the end reached.
func neighbour(i, d, n int, what string) (int, error) {
	j := i + d
	if i < 0 || j < 0 || j >= n {
		if d < 0 {
			return 0, fmt.Errorf("the %s is already first", what)
		}
		return 0, fmt.Errorf("the %s is already last", what)
	}
	return j, nil
}

// numbered is how a move reads and renumbers one kind of item (seasons
// of a series, episodes of a season).
type numbered[T any] struct {
	what   string // "season", for messages
	num    func(T) int
	id     func(T) int64
	update func(ctx context.Context, c *client.Client, x T, n int) (T, error)
}

// move moves the item with id up (d=-1) or down (d=1) among list, sorted
// by number, by swapping its number with its neighbour's.
func (k numbered[T]) move(s *seriesScreen, list []T, id int64, d int) {
	list = slices.SortedFunc(slices.Values(list), func(a, b T) int { return k.num(a) - k.num(b) })
	i := slices.IndexFunc(list, func(x T) bool { return k.id(x) == id })
	j, err := neighbour(i, d, len(list), k.what)
	if err != nil {
		showOutcome(s.info, "", err)
		return
	}
	a, b := list[i], list[j]
	aNum, bNum, spare := k.num(a), k.num(b), k.num(list[len(list)-1])+1
	s.w.call(func(ctx context.Context, c *client.Client) error {
		return swapNumbers(ctx, aNum, bNum, spare, func(ctx context.Context, isA bool, n int) error {
			x := &a
			if !isA {
				x = &b
			}
			got, err := k.update(ctx, c, *x, n)
			if err == nil {
				*x = got
			}
			return err
		})
	}, func(err error) {
		showOutcome(s.info, fmt.Sprintf("The %s is now number %d.", k.what, bNum), err)
		s.load()
	})
}

var seasonNumbers = numbered[api.Season]{what: "season",
	num: func(z api.Season) int { return z.SeasonNumber }, id: func(z api.Season) int64 { return z.ID },
	update: func(ctx context.Context, c *client.Client, z api.Season, n int) (api.Season, error) {
		return c.UpdateSeason(ctx, z.ID, api.SeasonUpdate{SeasonNumber: &n, Version: z.Version})
	}}

var episodeNumbers = numbered[api.Episode]{what: "episode",
	num: func(e api.Episode) int { return e.EpisodeNum }, id: func(e api.Episode) int64 { return e.ID },
	update: func(ctx context.Context, c *client.Client, e api.Episode, n int) (api.Episode, error) {
		return c.UpdateEpisode(ctx, e.ID, api.EpisodeUpdate{EpisodeNum: &n, Version: e.Version})
	}}

// onMoveSeason moves the selected season up (d=-1) or down (d=1) the series.
func (s *seriesScreen) onMoveSeason(d int) {
	if s.season == nil {
		showOutcome(s.info, "", errors.New("select a season first"))
		return
	}
	seasonNumbers.move(s, s.seasons, s.season.ID, d)
}

// onMoveEpisode moves the selected episode up (d=-1) or down (d=1) its season.
func (s *seriesScreen) onMoveEpisode(d int) {
	if s.episode == nil {
		showOutcome(s.info, "", errors.New("select an episode first"))
		return
	}
	episodeNumbers.move(s, s.shown, s.episode.ID, d)
}

// latest is the item of list with sel's id, as read again after an edit,
// so the next edit sends its current version; nil when sel is nil or gone.
func latest[T any](sel *T, list []T, id func(T) int64) *T {
	if sel == nil {
		return nil
	}
	for i := range list {
		if id(list[i]) == id(*sel) {
			x := list[i]
			return &x
		}
	}
	return nil
}
