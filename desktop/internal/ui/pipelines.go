package ui

import (
	"context"
	"strconv"
	"strings"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pipelinesScreen lists the pipelines, step by step, and edits them.
type pipelinesScreen struct {
	w         *Window
	pipelines []api.Pipeline
	streamers []api.Streamer
	selected  int

	list      *widget.List
	info      *widget.Label
	edit, del *widget.Button
	editor    *pipelineEditor
}

func newPipelinesScreen(w *Window) *pipelinesScreen {
	s := &pipelinesScreen{w: w, selected: -1, info: &widget.Label{Wrapping: fyne.TextWrapWord}}
	s.list = &widget.List{Length: func() int { return len(s.pipelines) },
		CreateItem: func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
				nil, &widget.Label{Truncation: fyne.TextTruncateEllipsis})
		},
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[1].(*widget.Label).SetText(s.pipelines[i].Name)
			row.Objects[0].(*widget.Label).SetText(s.describe(s.pipelines[i]))
		},
		OnSelected: func(id widget.ListItemID) { s.selected = id; s.selectionChanged() }}
	s.list.ExtendBaseWidget(s.list)
	s.edit = w.editButton("Edit", theme.DocumentCreateIcon(), s.onEdit)
	s.del = w.editButton("Delete", theme.DeleteIcon(), s.onDelete)
	s.selectionChanged()
	s.load()
	return s
}

func (s *pipelinesScreen) buildUI() fyne.CanvasObject {
	tools := []fyne.CanvasObject{&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.load}}
	if add := s.w.editButton("Add pipeline", theme.ContentAddIcon(), s.onAdd); add != nil {
		tools = append(tools, add, s.edit, s.del)
	}
	return container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(tools...), s.info), nil, nil, nil, s.list)
}

// describe says a pipeline's steps: "ingest (one of ingest1) → edge (all of edge1, edge2)".
func (s *pipelinesScreen) describe(p api.Pipeline) string {
	names := map[int64]string{}
	for _, st := range s.streamers {
		names[st.ID] = st.Name
	}
	var steps []string
	for _, st := range p.Steps {
		var on []string
		for _, id := range st.StreamerIDs {
			n, ok := names[id]
			if !ok {
				n = "#" + strconv.FormatInt(id, 10)
			}
			on = append(on, n)
		}
		steps = append(steps, st.Role+" ("+st.Placement+" of "+strings.Join(on, ", ")+")")
	}
	return strings.Join(steps, " → ")
}

func (s *pipelinesScreen) load() {
	c := s.w.sess.API()
	if c == nil {
		return
	}
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		all := api.ListParams{Limit: api.MaxLimit}
		pipes, err := c.Pipelines(ctx, api.PipelineFilter{}, all)
		if err != nil {
			return func() { s.info.SetText(message(err)) }
		}
		sts, err := c.Streamers(ctx, api.StreamerFilter{}, all)
		if err != nil {
			return func() { s.info.SetText(message(err)) }
		}
		return func() {
			s.pipelines, s.streamers = pipes.Items, sts.Items
			s.info.SetText(strconv.Itoa(len(pipes.Items)) + " pipelines")
			s.selected = -1
			s.list.UnselectAll()
			s.selectionChanged()
			s.list.Refresh()
		}
	})
}

func (s *pipelinesScreen) current() (api.Pipeline, bool) {
	if s.selected < 0 || s.selected >= len(s.pipelines) {
		return api.Pipeline{}, false
	}
	return s.pipelines[s.selected], true
}

func (s *pipelinesScreen) selectionChanged() {
	_, ok := s.current()
	setEnabled(ok, s.edit, s.del)
}

func (s *pipelinesScreen) onAdd() {
	s.openEditor(api.Pipeline{Steps: []api.PipelineStep{{Role: api.RoleIngest, Placement: api.PlacementOne}}})
}

func (s *pipelinesScreen) onEdit() {
	if p, ok := s.current(); ok {
		s.openEditor(p)
	}
}

func (s *pipelinesScreen) openEditor(p api.Pipeline) {
	ed := newPipelineEditor(s.w, p, s.streamers)
	s.editor = ed
	ed.open(ed.heading(), fyne.NewSize(640, 560), func() (saveCall, error) {
		in := ed.value()
		return func(ctx context.Context, c *client.Client) error {
			if p.ID == 0 {
				_, err := c.CreatePipeline(ctx, in)
				return err
			}
			_, err := c.UpdatePipeline(ctx, p.ID, api.PipelineUpdate{Name: &in.Name, Steps: &in.Steps, Version: p.Version})
			return err
		}, nil
	}, s.load)
}

// onDelete asks, then deletes; a pipeline channels still use is refused by
// the server, and the refusal is shown.
func (s *pipelinesScreen) onDelete() {
	p, ok := s.current()
	if !ok {
		return
	}
	s.w.confirm("Delete pipeline", "Delete pipeline "+p.Name+"?", "Delete", func() { s.delete(p) })
}

func (s *pipelinesScreen) delete(p api.Pipeline) {
	s.w.call(func(ctx context.Context, c *client.Client) error { return c.DeletePipeline(ctx, p.ID) },
		func(err error) {
			if err != nil {
				s.info.SetText(message(err))
				return
			}
			s.load()
		})
}

func (s *pipelinesScreen) onEvent(e api.Event) {
	if changed(e, api.EntityPipeline, api.EntityStreamer) {
		s.load()
	}
}

func (s *pipelinesScreen) resync() { s.load() }

// stepRow is the editor's controls for one step.
type stepRow struct {
	role, placement *widget.Select
	streamers       *widget.CheckGroup
}

// pipelineEditor edits a pipeline's name and steps, in the app's one form
// dialog.
type pipelineEditor struct {
	*formDialog
	p         api.Pipeline
	streamers []api.Streamer
	name      *keyEntry
	rows      []*stepRow
	steps     *fyne.Container
}

func newPipelineEditor(w *Window, p api.Pipeline, streamers []api.Streamer) *pipelineEditor {
	e := &pipelineEditor{p: p, streamers: streamers, name: w.entry(p.Name, "e.g. hd-news"),
		steps: container.NewVBox()}
	for _, st := range p.Steps {
		e.addStep(st)
	}
	add := &widget.Button{Text: "Add step", Icon: theme.ContentAddIcon(), OnTapped: func() {
		e.addStep(api.PipelineStep{Role: api.RoleEdge, Placement: api.PlacementAll})
	}}
	e.formDialog = newFormDialog(w, []formField{{label: "Name", key: "name", widget: e.name},
		{label: "Steps", key: "steps", widget: container.NewVBox(e.steps, container.NewHBox(add))}})
	return e
}

func (e *pipelineEditor) heading() string {
	if e.p.ID == 0 {
		return "New pipeline"
	}
	return "Pipeline " + e.p.Name
}

func (e *pipelineEditor) streamerNames() []string {
	names := make([]string, len(e.streamers))
	for i, s := range e.streamers {
		names[i] = s.Name
	}
	return names
}

// addStep appends a step's controls.
func (e *pipelineEditor) addStep(st api.PipelineStep) {
	row := &stepRow{role: &widget.Select{Options: []string{api.RoleIngest, api.RoleTranscode, api.RoleDVR, api.RoleEdge}, Selected: st.Role},
		placement: &widget.Select{Options: []string{api.PlacementOne, api.PlacementAll}, Selected: st.Placement},
		streamers: widget.NewCheckGroup(e.streamerNames(), nil)}
	row.streamers.Horizontal = true
	for _, s := range e.streamers {
		for _, id := range st.StreamerIDs {
			if id == s.ID {
				row.streamers.Selected = append(row.streamers.Selected, s.Name)
			}
		}
	}
	e.rows = append(e.rows, row)
	var card *widget.Card
	remove := &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance}
	card = widget.NewCard("", "", container.NewVBox(
		container.NewBorder(nil, nil, nil, remove, container.NewGridWithColumns(2, row.role, row.placement)), row.streamers))
	remove.OnTapped = func() { e.removeStep(row, card) }
	e.steps.Add(card)
}

func (e *pipelineEditor) removeStep(row *stepRow, card fyne.CanvasObject) {
	for i, r := range e.rows {
		if r == row {
			e.rows = append(e.rows[:i:i], e.rows[i+1:]...)
		}
	}
	e.steps.Remove(card)
}

func (e *pipelineEditor) value() api.Pipeline {
	p := api.Pipeline{Name: strings.TrimSpace(e.name.Text), Steps: []api.PipelineStep{}}
	for _, r := range e.rows {
		st := api.PipelineStep{Role: r.role.Selected, Placement: r.placement.Selected, StreamerIDs: []int64{}}
		for _, s := range e.streamers {
			for _, n := range r.streamers.Selected {
				if n == s.Name {
					st.StreamerIDs = append(st.StreamerIDs, s.ID)
				}
			}
		}
		p.Steps = append(p.Steps, st)
	}
	return p
}
