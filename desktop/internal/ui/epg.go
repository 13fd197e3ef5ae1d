package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var epgColumns = []textColumn[api.EPGSourceStatus]{
	{"Name", 130, func(s api.EPGSourceStatus) string { return s.Name }},
	{"Enabled", 60, func(s api.EPGSourceStatus) string { return yesNo(s.Enabled) }},
	{"Every", 50, func(s api.EPGSourceStatus) string { return strconv.Itoa(s.IntervalHours) + "h" }},
	{"Last run", 120, func(s api.EPGSourceStatus) string { return formatTime(s.LastRunAt) }},
	{"Result", 70, func(s api.EPGSourceStatus) string {
		if s.Running {
			return "running"
		}
		return s.LastResult
	}},
	{"Channels", 70, func(s api.EPGSourceStatus) string { return strconv.Itoa(s.ChannelCount) }},
	{"Programmes", 85, func(s api.EPGSourceStatus) string { return strconv.Itoa(s.ProgrammeCount) }},
	{"Warnings", 70, func(s api.EPGSourceStatus) string { return strconv.Itoa(s.Warnings) }},
	{"Error", 200, func(s api.EPGSourceStatus) string { return s.LastError }},
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// epgScreen lists the EPG sources with the outcome of their last import,
// edits them, and runs an import with a progress bar fed by epg_progress
// events until epg_done.
type epgScreen struct {
	w       *Window
	sources []api.EPGSourceStatus
	editing api.EPGSourceStatus
	// finished counts the epg_done events per source, so a late answer to
	// "Run now" does not show a finished import as running.
	finished map[int64]int

	table                     *fitTable
	name, url, interval, keep *widget.Entry
	enabled, allowPrivate     *widget.Check
	progress                  *widget.ProgressBar
	progressText              *widget.Label
	outcome                   *widget.Label
}

func newEPGScreen(w *Window) *epgScreen {
	s := &epgScreen{w: w, name: &widget.Entry{}, url: &widget.Entry{PlaceHolder: "e.g. https://example.com/guide.xml.gz"},
		interval: &widget.Entry{PlaceHolder: "e.g. 24"}, keep: &widget.Entry{PlaceHolder: "e.g. 7 (0: none)"}, enabled: &widget.Check{Text: "Enabled"},
		allowPrivate: &widget.Check{Text: "Allow private network (loopback, LAN) addresses"},
		finished:     map[int64]int{}, progress: &widget.ProgressBar{}, progressText: &widget.Label{}, outcome: statusLabel()}
	s.progress.Hide()
	s.table = newTextTable(epgColumns, func() []api.EPGSourceStatus { return s.sources }, s.edit)
	s.load()
	return s
}

func (s *epgScreen) buildUI() fyne.CanvasObject {
	bar := toolbar(&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.load},
		s.w.editButton("New source", theme.ContentAddIcon(), func() { s.edit(api.EPGSourceStatus{EPGSource: api.EPGSource{Enabled: true}}) }))
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: "Name", Widget: s.name}, {Text: "URL", Widget: s.url}, {Text: "", Widget: s.enabled},
		{Text: "Every (hours)", Widget: s.interval}, {Text: "Keep past days", Widget: s.keep},
		{Text: "", Widget: s.allowPrivate, HintText: "only for a guide served inside your own network"},
	}}
	actions := toolbar(s.w.editButton("Save", theme.DocumentSaveIcon(), s.onSave),
		s.w.editButton("Run now", theme.MediaPlayIcon(), s.onRun),
		s.w.editButton("Delete", theme.DeleteIcon(), s.onDelete))
	bottom := container.NewVBox(form, actions, s.progress, s.progressText, s.outcome)
	split := container.NewVSplit(container.NewBorder(bar, nil, nil, nil, s.table), container.NewVScroll(bottom))
	split.Offset = 0.5
	return split
}

func (s *epgScreen) load() {
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := s.w.sess.API()
		if c == nil {
			return func() {}
		}
		page, err := c.EPGSources(ctx, api.EPGSourceFilter{}, api.ListParams{Limit: api.MaxLimit})
		return func() {
			if err != nil {
				showOutcome(s.outcome, "", err)
				return
			}
			s.sources = page.Items
			for _, src := range s.sources {
				if src.ID == s.editing.ID && src.Running {
					s.editing = src
					s.showRun(src)
				}
			}
			s.table.Refresh()
		}
	})
}

// edit shows src in the form; a zero ID starts a new source.
func (s *epgScreen) edit(src api.EPGSourceStatus) {
	s.editing = src
	s.name.SetText(src.Name)
	s.url.SetText(src.URL)
	s.enabled.SetChecked(src.Enabled)
	s.allowPrivate.SetChecked(src.AllowPrivateNetwork)
	s.interval.SetText(strconv.Itoa(src.IntervalHours))
	s.keep.SetText(strconv.Itoa(src.DaysKeep))
	s.outcome.SetText("")
	s.showRun(src)
}

// showRun shows the selected source's import: a bar while it runs, else the
// last outcome.
func (s *epgScreen) showRun(src api.EPGSourceStatus) {
	switch {
	case src.Running && src.Progress != nil:
		s.showProgress(*src.Progress)
	case src.Running:
		s.progress.Show()
		s.progressText.SetText("Import starting…")
	default:
		s.progress.Hide()
		s.progressText.SetText("")
		if src.LastResult != "" {
			s.progressText.SetText(fmt.Sprintf("Last import %s: %s, %d channels, %d programmes, %d warnings %s",
				formatTime(src.LastRunAt), src.LastResult, src.ChannelCount, src.ProgrammeCount, src.Warnings, src.LastError))
		}
	}
}

func (s *epgScreen) showProgress(p api.EPGProgress) {
	s.progress.Show()
	if p.BytesTotal > 0 {
		s.progress.SetValue(min(1, float64(p.BytesRead)/float64(p.BytesTotal)))
	}
	s.progressText.SetText(fmt.Sprintf("Importing: %d channels, %d programmes, %d KiB read", p.Channels, p.Programmes, p.BytesRead/1024))
}

func (s *epgScreen) read() (api.EPGSource, error) {
	src := api.EPGSource{Name: strings.TrimSpace(s.name.Text), URL: strings.TrimSpace(s.url.Text), Enabled: s.enabled.Checked,
		AllowPrivateNetwork: s.allowPrivate.Checked}
	var err error
	if src.IntervalHours, err = atoiField("interval (hours)", s.interval.Text); err != nil {
		return src, fmt.Errorf("interval must be a whole number of hours")
	}
	if src.DaysKeep, err = atoiField("days to keep", s.keep.Text); err != nil {
		return src, fmt.Errorf("days kept must be a whole number")
	}
	return src, nil
}

func (s *epgScreen) onSave() {
	src, err := s.read()
	if err != nil {
		showOutcome(s.outcome, "", err)
		return
	}
	id, version := s.editing.ID, s.editing.Version
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		var saved api.EPGSource
		var err error
		if id == 0 {
			saved, err = s.w.sess.API().CreateEPGSource(ctx, src)
		} else {
			saved, err = s.w.sess.API().UpdateEPGSource(ctx, id, api.EPGSourceUpdate{Name: &src.Name, URL: &src.URL,
				Enabled: &src.Enabled, IntervalHours: &src.IntervalHours, DaysKeep: &src.DaysKeep,
				AllowPrivateNetwork: &src.AllowPrivateNetwork, Version: version})
		}
		return func() {
			if err == nil {
				s.editing = api.EPGSourceStatus{EPGSource: saved}
				s.load()
			}
			showOutcome(s.outcome, "Saved "+saved.Name+".", err)
		}
	})
}

func (s *epgScreen) onRun() {
	id := s.editing.ID
	if id == 0 {
		return
	}
	finished := s.finished[id]
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		st, err := s.w.sess.API().RunEPGSource(ctx, id)
		return func() {
			if err != nil {
				showOutcome(s.outcome, "", err)
				return
			}
			// The epg_done event may have come before this answer.
			if s.editing.ID == id && s.finished[id] == finished && !s.progress.Visible() {
				s.showRun(st)
			}
		}
	})
}

func (s *epgScreen) onDelete() {
	src := s.editing
	if src.ID == 0 {
		return
	}
	s.w.confirmDelete("Delete EPG source", "Delete "+src.Name+" and its guide? Channels that use it lose their programmes.",
		func(ctx context.Context, c *client.Client) error { return c.DeleteEPGSource(ctx, src.ID) },
		func(err error) {
			if err == nil {
				s.edit(api.EPGSourceStatus{})
				s.load()
			}
			showOutcome(s.outcome, "Deleted "+src.Name+".", err)
		})
}

// onEvent follows imports: progress moves the bar, done reloads the list.
func (s *epgScreen) onEvent(e api.Event) {
	switch e.Type {
	case api.EventEPGProgress:
		var p api.EPGProgress
		if json.Unmarshal(e.Data, &p) == nil && p.SourceID == s.editing.ID {
			s.showProgress(p)
		}
	case api.EventEPGDone:
		var d api.EPGDone
		if json.Unmarshal(e.Data, &d) != nil {
			return
		}
		s.finished[d.SourceID]++
		if d.SourceID == s.editing.ID {
			s.progress.Hide()
			s.progressText.SetText(fmt.Sprintf("Import done: %s, %d channels, %d programmes, %d warnings %s",
				d.Result, d.Channels, d.Programmes, d.Warnings, d.Error))
			s.editing.Running = false
		}
		s.load()
	default:
		if changed(e, api.EntityEPGSource) {
			s.load()
		}
	}
}

func (s *epgScreen) resync() { s.load() }
