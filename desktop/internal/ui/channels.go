package ui

import (
	"context"
	"image/color"
	"strconv"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// deadRowColor tints the rows of dead channels.
var deadRowColor = color.NRGBA{R: 0xe5, G: 0x39, B: 0x35, A: 0x60}

// allCategories is the category filter's "no filter" choice.
const allCategories = "All categories"

var channelColumns = []struct {
	title string
	width float32
	value func(s *channelsScreen, c api.Channel) string
}{
	{"#", 50, func(_ *channelsScreen, c api.Channel) string { return strconv.Itoa(c.Number) }},
	{"Name", 120, func(_ *channelsScreen, c api.Channel) string { return c.Name }},
	{"Title", 180, func(_ *channelsScreen, c api.Channel) string { return c.Title }},
	{"Status", 90, func(s *channelsScreen, c api.Channel) string { return s.health(c) }},
	{"Viewers", 70, func(s *channelsScreen, c api.Channel) string { return strconv.FormatInt(s.fleet.viewers(c.Name), 10) }},
	{"Placed on", 240, func(s *channelsScreen, c api.Channel) string { return s.fleet.placedOn(c.Name) }},
	{"Category", 110, func(s *channelsScreen, c api.Channel) string { return s.categoryName(c.CategoryID) }},
	{"Pipeline", 110, func(s *channelsScreen, c api.Channel) string { return s.pipelineName(c.PipelineID) }},
}

// channelsScreen lists channels with their live status from the fleet; a
// dead channel's row is red. Search and the category filter ask the server.
type channelsScreen struct {
	w          *Window
	channels   []api.Channel
	fleet      fleetIndex
	categories []api.Category
	pipelines  []api.Pipeline
	selected   int

	table    *fitTable
	search   *widget.Entry
	category *widget.Select
	info     *widget.Label
	edit     *widget.Button
	del      *widget.Button
	logo     *widget.Button
	editor   *channelEditor // the open editor, for tests
}

func newChannelsScreen(w *Window) *channelsScreen {
	s := &channelsScreen{w: w, selected: -1, fleet: newFleetIndex(api.FleetStatus{}),
		info: &widget.Label{Truncation: fyne.TextTruncateEllipsis}}
	s.table = newFitTable(&fitTable{Table: widget.Table{Length: func() (int, int) { return len(s.channels), len(channelColumns) },
		CreateCell: newTintedCell, UpdateCell: s.updateCell, ShowHeaderRow: true,
		CreateHeader: newHeaderLabel,
		UpdateHeader: func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col >= 0 {
				o.(*widget.Label).SetText(channelColumns[id.Col].title)
			}
		},
		OnSelected: func(id widget.TableCellID) { s.selected = id.Row; s.selectionChanged() }},
		MinWidths: columnMins(len(channelColumns), func(i int) float32 { return channelColumns[i].width }),
		Header:    func(col int) string { return channelColumns[col].title },
		Text:      func(row, col int) string { return channelColumns[col].value(s, s.channels[row]) }})
	s.search = &widget.Entry{PlaceHolder: "search name or title", OnSubmitted: func(string) { s.load() }}
	s.category = &widget.Select{Options: []string{allCategories}, Selected: allCategories, OnChanged: func(string) { s.load() }}
	s.edit = w.editButton("Edit", theme.DocumentCreateIcon(), s.onEdit)
	s.del = w.editButton("Delete", theme.DeleteIcon(), s.onDelete)
	s.logo = w.editButton("Upload logo…", theme.FileImageIcon(), s.onUploadLogo)
	s.selectionChanged()
	s.loadRefs()
	s.load()
	w.every(s.loadFleet)
	return s
}

// newTintedCell is a label over a rectangle that can tint the row.
func newTintedCell() fyne.CanvasObject {
	return container.NewStack(&canvas.Rectangle{}, &widget.Label{Truncation: fyne.TextTruncateEllipsis})
}

func (s *channelsScreen) buildUI() fyne.CanvasObject {
	tools := []fyne.CanvasObject{&widget.Button{Text: "Search", Icon: theme.SearchIcon(), OnTapped: s.load}, s.category,
		&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: func() { s.loadRefs(); s.load() }}}
	if add := s.w.editButton("Add channel", theme.ContentAddIcon(), s.onAdd); add != nil {
		tools = append(tools, add, s.edit, s.logo, s.del)
	}
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(tools...), s.search)
	return container.NewBorder(container.NewVBox(bar, s.info), nil, nil, nil, s.table)
}

func (s *channelsScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	c := s.channels[id.Row]
	cell := o.(*fyne.Container)
	bg, label := cell.Objects[0].(*canvas.Rectangle), cell.Objects[1].(*widget.Label)
	label.SetText(channelColumns[id.Col].value(s, c))
	if s.health(c) == channelDead {
		bg.FillColor = deadRowColor
		label.Importance = widget.DangerImportance
	} else {
		bg.FillColor = color.Transparent
		label.Importance = widget.MediumImportance
	}
	bg.Refresh()
	label.Refresh()
}

// health is the channel's status column.
func (s *channelsScreen) health(c api.Channel) string {
	if !c.Enabled {
		return "disabled"
	}
	return s.fleet.channelHealth(c.Name)
}

func (s *channelsScreen) categoryName(id *int64) string {
	for _, c := range s.categories {
		if id != nil && c.ID == *id {
			return c.Name
		}
	}
	return ""
}

func (s *channelsScreen) pipelineName(id *int64) string {
	for _, p := range s.pipelines {
		if id != nil && p.ID == *id {
			return p.Name
		}
	}
	return ""
}

// loadRefs fetches the categories and pipelines the list names and the
// editor offers.
func (s *channelsScreen) loadRefs() {
	c := s.w.sess.API()
	if c == nil {
		return
	}
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		cats, err := c.Categories(ctx, api.CategoryFilter{}, api.ListParams{Limit: api.MaxLimit})
		if err != nil {
			return func() { s.info.SetText(message(err)) }
		}
		pipes, err := c.Pipelines(ctx, api.PipelineFilter{}, api.ListParams{Limit: api.MaxLimit})
		if err != nil {
			return func() { s.info.SetText(message(err)) }
		}
		return func() {
			s.categories, s.pipelines = cats.Items, pipes.Items
			opts := []string{allCategories}
			for _, c := range cats.Items {
				opts = append(opts, c.Name)
			}
			s.category.Options = opts
			s.category.Refresh()
			s.table.Refresh()
		}
	})
}

// load fetches the channels matching the search and filter, and the fleet.
func (s *channelsScreen) load() {
	c := s.w.sess.API()
	if c == nil {
		return
	}
	p := api.ListParams{Limit: api.MaxLimit, Query: s.search.Text, Sort: "number"}
	var f api.ChannelFilter
	for _, cat := range s.categories {
		if cat.Name == s.category.Selected {
			f.CategoryID = cat.ID
		}
	}
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		page, err := c.Channels(ctx, f, p)
		if err != nil {
			return func() { s.info.SetText(message(err)) }
		}
		fl, ferr := c.Fleet(ctx)
		return func() {
			s.channels = page.Items
			s.info.SetText(strconv.Itoa(len(page.Items)) + " channels")
			if ferr == nil {
				s.fleet = newFleetIndex(fl)
			}
			s.selected = -1
			s.table.UnselectAll()
			s.selectionChanged()
			s.table.Refresh()
		}
	})
}

// loadFleet refreshes the live status only.
func (s *channelsScreen) loadFleet() {
	c := s.w.sess.API()
	if c == nil {
		return
	}
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		fl, err := c.Fleet(ctx)
		if err != nil {
			return func() {}
		}
		return func() { s.fleet = newFleetIndex(fl); s.table.Refresh() }
	})
}

func (s *channelsScreen) selectionChanged() {
	setEnabled(s.selected >= 0 && s.selected < len(s.channels), s.edit, s.del, s.logo)
}

func (s *channelsScreen) current() (api.Channel, bool) {
	if s.selected < 0 || s.selected >= len(s.channels) {
		return api.Channel{}, false
	}
	return s.channels[s.selected], true
}

func (s *channelsScreen) onAdd() {
	s.openEditor(api.Channel{Enabled: true})
}

func (s *channelsScreen) onEdit() {
	if c, ok := s.current(); ok {
		s.openEditor(c)
	}
}

func (s *channelsScreen) openEditor(ch api.Channel) {
	ed := newChannelEditor(s.w, ch, s.categories, s.pipelines)
	s.editor = ed
	ed.open(ed.heading(), fyne.NewSize(560, 620), func() (saveCall, error) {
		in, err := ed.value()
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, c *client.Client) error {
			if ch.ID == 0 {
				_, err := c.CreateChannel(ctx, in)
				return err
			}
			_, err := c.UpdateChannel(ctx, ch.ID, channelUpdate(in, ch.Version))
			return err
		}, nil
	}, func() { s.editor = nil; s.load() })
}

// channelUpdate sets every field the editor shows.
func channelUpdate(in api.ChannelCreate, version int) api.ChannelUpdate {
	cat, pipe := in.CategoryID, in.PipelineID
	var zero int64
	if cat == nil {
		cat = &zero // 0 clears the category
	}
	if pipe == nil {
		pipe = &zero
	}
	return api.ChannelUpdate{Name: &in.Name, Title: &in.Title, LogoURL: &in.LogoURL, CategoryID: cat, Number: &in.Number,
		Sources: &in.Sources, EPGChannelID: &in.EPGChannelID, DVRDays: &in.DVRDays, PipelineID: pipe,
		Enabled: in.Enabled, Free: &in.Free, Version: version}
}

func (s *channelsScreen) onDelete() {
	ch, ok := s.current()
	if !ok {
		return
	}
	s.w.confirmDelete("Delete channel", "Delete channel "+ch.Name+"? Subscribers lose it at once.",
		func(ctx context.Context, c *client.Client) error { return c.DeleteChannel(ctx, ch.ID) },
		func(err error) {
			if err != nil {
				s.info.SetText(message(err))
				return
			}
			s.load()
		})
}

// onUploadLogo picks an image file and uploads it as the channel's logo.
func (s *channelsScreen) onUploadLogo() {
	ch, ok := s.current()
	if !ok {
		return
	}
	dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		s.uploadLogo(ch, r)
	}, s.w.win).Show()
}

func (s *channelsScreen) uploadLogo(ch api.Channel, r fyne.URIReadCloser) {
	c := s.w.sess.API()
	s.w.async(func() func() {
		defer r.Close()
		ctx, cancel := callCtx()
		defer cancel()
		img, err := readAllLimited(r, 2<<20)
		if err == nil {
			_, err = c.SetChannelLogo(ctx, ch.ID, img)
		}
		return func() {
			if err != nil {
				s.info.SetText(message(err))
				return
			}
			s.info.SetText("Logo of " + ch.Name + " uploaded.")
			s.load()
		}
	})
}

// onEvent reloads the list on channel changes, the names it shows on
// category and pipeline changes, and the status on fleet transitions.
func (s *channelsScreen) onEvent(e api.Event) {
	switch {
	case isFleetEvent(e.Type):
		s.loadFleet()
	case changed(e, api.EntityChannel):
		s.load()
	case changed(e, api.EntityCategory, api.EntityPipeline):
		s.loadRefs()
	}
}

func (s *channelsScreen) resync() { s.load() }
