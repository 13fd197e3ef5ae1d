package ui

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// noneChoice is the "no category / no pipeline" option of the editor.
const noneChoice = "(none)"

// channelEditor is the form of one channel. It makes no network calls: it
// hands the edited channel to OnSave.
type channelEditor struct {
	ch         api.Channel
	categories []api.Category
	pipelines  []api.Pipeline

	name, title, number, logoURL, epgID, dvrDays *widget.Entry
	sources                                      *widget.Entry // one URL a line, first is the main source
	category, pipeline                           *widget.Select
	enabled, free                                *widget.Check
	errText                                      *widget.Label
	save, cancel                                 *widget.Button

	OnSave   func(api.ChannelCreate)
	OnCancel func()
}

func newChannelEditor(ch api.Channel, cats []api.Category, pipes []api.Pipeline) *channelEditor {
	e := &channelEditor{ch: ch, categories: cats, pipelines: pipes,
		name: &widget.Entry{Text: ch.Name, PlaceHolder: "stream name: letters, digits, - and _"}, title: &widget.Entry{Text: ch.Title},
		number: &widget.Entry{Text: strconv.Itoa(ch.Number)}, logoURL: &widget.Entry{Text: ch.LogoURL, PlaceHolder: "https://…/logo.png"},
		epgID: &widget.Entry{Text: ch.EPGChannelID}, dvrDays: &widget.Entry{Text: strconv.Itoa(ch.DVRDays)},
		sources: &widget.Entry{MultiLine: true, Wrapping: fyne.TextWrapOff, PlaceHolder: "udp://239.0.0.1:1234\nhttp://backup/stream"},
		enabled: &widget.Check{Text: "Enabled", Checked: ch.Enabled}, free: &widget.Check{Text: "Free (no package needed)", Checked: ch.Free},
		errText: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}}
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
	e.save = &widget.Button{Text: "Save", Importance: widget.HighImportance, OnTapped: e.onSave}
	e.cancel = &widget.Button{Text: "Cancel", OnTapped: func() {
		if e.OnCancel != nil {
			e.OnCancel()
		}
	}}
	return e
}

func (e *channelEditor) heading() string {
	if e.ch.ID == 0 {
		return "New channel"
	}
	return "Channel " + e.ch.Name
}

func (e *channelEditor) buildUI() fyne.CanvasObject {
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: "Name", Widget: e.name}, {Text: "Title", Widget: e.title}, {Text: "Number", Widget: e.number},
		{Text: "Sources", Widget: e.sources, HintText: "one URL a line, in order of preference"},
		{Text: "Category", Widget: e.category}, {Text: "Pipeline", Widget: e.pipeline},
		{Text: "Logo URL", Widget: e.logoURL, HintText: "or upload a file from the list"},
		{Text: "EPG id", Widget: e.epgID}, {Text: "DVR days", Widget: e.dvrDays},
		{Text: "", Widget: container.NewHBox(e.enabled, e.free)},
	}}
	buttons := container.NewHBox(e.cancel, e.save)
	return container.NewBorder(nil, container.NewVBox(e.errText, container.NewCenter(buttons)), nil, nil,
		container.NewVScroll(form))
}

// setError shows why the server refused the channel, nil clears it.
func (e *channelEditor) setError(err error) {
	if err == nil {
		e.errText.SetText("")
		e.save.Enable()
		return
	}
	e.errText.SetText(fieldMessage(err))
	e.save.Enable()
}

func (e *channelEditor) onSave() {
	in, err := e.value()
	if err != nil {
		e.errText.SetText(message(err))
		return
	}
	e.save.Disable()
	if e.OnSave != nil {
		e.OnSave(in)
	}
}

// value reads the form.
func (e *channelEditor) value() (api.ChannelCreate, error) {
	number, err := atoiField("number", e.number.Text)
	if err != nil {
		return api.ChannelCreate{}, err
	}
	dvr, err := atoiField("DVR days", e.dvrDays.Text)
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

// fieldMessage lists a validation error's fields, one a line.
func fieldMessage(err error) string {
	var ae *api.Error
	if errors.As(err, &ae) && len(ae.Fields) > 0 {
		var lines []string
		for _, f := range slices.Sorted(maps.Keys(ae.Fields)) {
			lines = append(lines, f+": "+ae.Fields[f])
		}
		return strings.Join(lines, "\n")
	}
	return message(err)
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
