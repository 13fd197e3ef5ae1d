package ui

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// noneChoice is the "no category / no pipeline" option of the editor.
const noneChoice = "(none)"

// channelEditor is the form of one channel, in the app's one form dialog.
type channelEditor struct {
	*formDialog
	ch         api.Channel
	categories []api.Category
	pipelines  []api.Pipeline

	name, title, number, logoURL, epgID, dvrDays *keyEntry
	sources                                      *keyEntry // one URL a line, first is the main source
	category, pipeline                           *widget.Select
	enabled, free                                *widget.Check
}

func newChannelEditor(w *Window, ch api.Channel, cats []api.Category, pipes []api.Pipeline) *channelEditor {
	e := &channelEditor{ch: ch, categories: cats, pipelines: pipes,
		name: w.entry(ch.Name, "e.g. news24"), title: w.entry(ch.Title, "e.g. News 24"),
		number: w.entry(strconv.Itoa(ch.Number), ""), logoURL: w.entry(ch.LogoURL, "e.g. https://cdn.example.com/news24.png"),
		epgID: w.entry(ch.EPGChannelID, "e.g. news24.uk"), dvrDays: w.entry(strconv.Itoa(ch.DVRDays), ""),
		sources: w.multiLineEntry("e.g. udp://239.0.0.1:1234"),
		enabled: &widget.Check{Text: "Enabled", Checked: ch.Enabled}, free: &widget.Check{Text: "Free (no package needed)", Checked: ch.Free}}
	e.sources.Wrapping = fyne.TextWrapOff
	e.sources.SetMinRowsVisible(3)
	var urls []string
	for _, s := range ch.Sources {
		urls = append(urls, s.URL)
	}
	e.sources.Text = strings.Join(urls, "\n")
	e.category = &widget.Select{Options: []string{noneChoice}, Selected: noneChoice}
	for _, c := range cats {
		e.category.Options = append(e.category.Options, c.Name)
		if ch.CategoryID != nil && *ch.CategoryID == c.ID {
			e.category.Selected = c.Name
		}
	}
	e.pipeline = &widget.Select{Options: []string{noneChoice}, Selected: noneChoice}
	for _, p := range pipes {
		e.pipeline.Options = append(e.pipeline.Options, p.Name)
		if ch.PipelineID != nil && *ch.PipelineID == p.ID {
			e.pipeline.Selected = p.Name
		}
	}
	e.formDialog = newFormDialog(w, []formField{
		{label: "Name", key: "name", widget: e.name, hint: "the stream name: letters, digits, - and _"},
		{label: "Title", key: "title", widget: e.title}, {label: "Number", key: "number", widget: e.number},
		{label: "Sources", key: "sources", widget: e.sources, hint: "one URL a line, in order of preference"},
		{label: "Category", key: "category_id", widget: e.category}, {label: "Pipeline", key: "pipeline_id", widget: e.pipeline},
		{label: "Logo URL", key: "logo_url", widget: e.logoURL, hint: "or upload a file from the list"},
		{label: "EPG id", key: "epg_channel_id", widget: e.epgID}, {label: "DVR days", key: "dvr_days", widget: e.dvrDays},
		{widget: container.NewHBox(e.enabled, e.free)},
	})
	return e
}

func (e *channelEditor) heading() string {
	if e.ch.ID == 0 {
		return "New channel"
	}
	return "Channel " + e.ch.Name
}

// value reads the form; a number that does not read names its field.
func (e *channelEditor) value() (api.ChannelCreate, error) {
	number, err := intField("number", e.number.Text)
	if err != nil {
		return api.ChannelCreate{}, err
	}
	dvr, err := intField("dvr_days", e.dvrDays.Text)
	if err != nil {
		return api.ChannelCreate{}, err
	}
	enabled := e.enabled.Checked
	in := api.ChannelCreate{Name: strings.TrimSpace(e.name.Text), Title: strings.TrimSpace(e.title.Text),
		LogoURL: strings.TrimSpace(e.logoURL.Text), Number: number, EPGChannelID: strings.TrimSpace(e.epgID.Text),
		DVRDays: dvr, Enabled: &enabled, Free: e.free.Checked, Sources: []api.Source{}}
	for _, line := range strings.Split(e.sources.Text, "\n") {
		if u := strings.TrimSpace(line); u != "" {
			in.Sources = append(in.Sources, api.Source{URL: u, Priority: len(in.Sources)})
		}
	}
	for _, c := range e.categories {
		if c.Name == e.category.Selected {
			in.CategoryID = &c.ID
		}
	}
	for _, p := range e.pipelines {
		if p.Name == e.pipeline.Selected {
			in.PipelineID = &p.ID
		}
	}
	return in, nil
}

// atoiField reads a whole number typed into a field; empty is 0.
func atoiField(field, s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s must be a whole number, not %q", field, s)
	}
	return n, nil
}

// readAllLimited reads at most limit bytes, refusing a bigger file.
func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read the file: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("the file is larger than %d KiB", limit>>10)
	}
	return b, nil
}
