package ui

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pickItem is one thing an idPicker offers: an id and what people read.
type pickItem struct {
	ID    int64
	Label string
}

// idPicker chooses an ordered list of ids (a package's channels, a
// subscriber's packages) by searching the server, so it works for catalogs
// far larger than one page. Writers add, remove and reorder; others only see
// the list.
type idPicker struct {
	w       *Window
	search  func(ctx context.Context, q string) ([]pickItem, error)
	chosen  []pickItem
	found   []pickItem
	query   *widget.Entry
	info    *widget.Label
	results *widget.List
	list    *widget.List
	pickAt  int // selected row of results, -1 for none
	chosAt  int // selected row of chosen, -1 for none
}

func newIDPicker(w *Window, what string, search func(ctx context.Context, q string) ([]pickItem, error)) *idPicker {
	p := &idPicker{w: w, search: search, pickAt: -1, chosAt: -1, info: &widget.Label{}}
	p.query = &widget.Entry{PlaceHolder: "search " + what, OnSubmitted: func(string) { p.onSearch() }}
	p.results = &widget.List{Length: func() int { return len(p.found) },
		CreateItem: func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.found[i].Label) },
		OnSelected: func(i widget.ListItemID) { p.pickAt = i }}
	p.list = &widget.List{Length: func() int { return len(p.chosen) },
		CreateItem: func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(strconv.Itoa(i+1) + ". " + p.chosen[i].Label)
		},
		OnSelected: func(i widget.ListItemID) { p.chosAt = i }}
	return p
}

func (p *idPicker) buildUI() fyne.CanvasObject {
	chosen := container.NewBorder(toolbar(
		p.w.editButton("", theme.MoveUpIcon(), func() { p.move(-1) }),
		p.w.editButton("", theme.MoveDownIcon(), func() { p.move(1) }),
		p.w.editButton("Remove", theme.ContentRemoveIcon(), p.onRemove),
	), nil, nil, nil, p.list)
	if !p.w.canWrite() {
		return tall(160, chosen)
	}
	search := container.NewBorder(nil, nil, nil,
		toolbar(&widget.Button{Icon: theme.SearchIcon(), OnTapped: p.onSearch}, p.w.editButton("Add", theme.ContentAddIcon(), p.onAdd)),
		p.query)
	finder := container.NewBorder(search, p.info, nil, nil, p.results)
	return tall(160, container.NewGridWithColumns(2, finder, chosen))
}

// set replaces the chosen list.
func (p *idPicker) set(items []pickItem) {
	p.chosen = append([]pickItem(nil), items...)
	p.chosAt = -1
	p.list.UnselectAll()
	p.list.Refresh()
}

// ids returns the chosen ids in order.
func (p *idPicker) ids() []int64 {
	out := make([]int64, len(p.chosen))
	for i, it := range p.chosen {
		out[i] = it.ID
	}
	return out
}

func (p *idPicker) onSearch() {
	q := p.query.Text
	p.info.SetText("Searching…")
	p.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		found, err := p.search(ctx, q)
		return func() {
			if err != nil {
				p.info.SetText(errorText(err))
				return
			}
			p.found, p.pickAt = found, -1
			p.info.SetText(strconv.Itoa(len(found)) + " found")
			p.results.UnselectAll()
			p.results.Refresh()
		}
	})
}

func (p *idPicker) onAdd() {
	if p.pickAt < 0 || p.pickAt >= len(p.found) {
		return
	}
	it := p.found[p.pickAt]
	for _, c := range p.chosen {
		if c.ID == it.ID {
			return
		}
	}
	p.chosen = append(p.chosen, it)
	p.list.Refresh()
}

func (p *idPicker) onRemove() {
	if p.chosAt < 0 || p.chosAt >= len(p.chosen) {
		return
	}
	p.chosen = append(p.chosen[:p.chosAt:p.chosAt], p.chosen[p.chosAt+1:]...)
	p.chosAt = -1
	p.list.UnselectAll()
	p.list.Refresh()
}

// move shifts the selected chosen item up (-1) or down (+1): order is the
// channel order players show.
func (p *idPicker) move(by int) {
	i, j := p.chosAt, p.chosAt+by
	if i < 0 || j < 0 || j >= len(p.chosen) {
		return
	}
	p.chosen[i], p.chosen[j] = p.chosen[j], p.chosen[i]
	p.list.Select(j)
	p.list.Refresh()
}
