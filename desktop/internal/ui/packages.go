package ui

import (
	"context"
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

// packagesScreen lists the packages and edits one: its price, period and
// streams at once (what a reseller's subscriber gets from it) and the ordered
// channels and VOD items it sells.
type packagesScreen struct {
	w        *Window
	pkgs     []api.Package
	next     string
	editing  api.Package // ID 0 while creating
	names    map[int64]string
	vodNames map[int64]string

	list        *widget.List
	more        *widget.Button
	name        *widget.Entry
	description *widget.Entry
	price       *widget.Entry
	currency    *widget.Entry
	period      *widget.Entry
	sessions    *widget.Entry
	free        *widget.Check
	channels    *idPicker
	vods        *idPicker
	status      *widget.Label
	fields      *fieldForm // the form, with a save's errors next to the fields they name
}

func newPackagesScreen(w *Window) *packagesScreen {
	s := &packagesScreen{w: w, names: map[int64]string{}, vodNames: map[int64]string{}, status: statusLabel(),
		name: &widget.Entry{}, description: &widget.Entry{}, price: &widget.Entry{PlaceHolder: "e.g. 9.99"},
		currency: &widget.Entry{PlaceHolder: "e.g. EUR"}, period: &widget.Entry{PlaceHolder: "e.g. 30"},
		sessions: &widget.Entry{PlaceHolder: "e.g. 2"}, free: &widget.Check{}}
	s.list = &widget.List{Length: func() int { return len(s.pkgs) },
		CreateItem: func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			p := s.pkgs[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s  (%s %s / %d days, %d channels)", p.Name, p.Price, p.Currency, p.PeriodDays, len(p.ChannelIDs)))
		},
		OnSelected: func(i widget.ListItemID) { s.edit(s.pkgs[i]) }}
	s.more = &widget.Button{Text: "More", OnTapped: func() { s.load(s.next) }}
	s.channels = newIDPicker(w, "channels", s.searchChannels)
	s.vods = newIDPicker(w, "VOD", s.searchVODs)
	s.fields = newFieldForm([]formField{
		{label: "Name", key: "name", widget: s.name}, {label: "Description", key: "description", widget: s.description},
		{label: "Price", key: "price", widget: s.price}, {label: "Currency", key: "currency", widget: s.currency},
		{label: "Period (days)", key: "period_days", widget: s.period},
		{label: "Streams at once", key: "max_sessions", widget: s.sessions, hint: "empty: 1"},
		{label: "Free for all", key: "free", widget: s.free},
		{label: "Channels", key: "channel_ids", widget: s.channels.buildUI()}, {label: "VOD", key: "vod_ids", widget: s.vods.buildUI()},
	})
	s.load("")
	return s
}

func (s *packagesScreen) buildUI() fyne.CanvasObject {
	bar := toolbar(&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: func() { s.load("") }},
		s.w.editButton("New package", theme.ContentAddIcon(), func() { s.edit(api.Package{}) }))
	left := container.NewBorder(bar, s.more, nil, nil, s.list)
	actions := toolbar(s.w.editButton("Save", theme.DocumentSaveIcon(), s.onSave),
		s.w.editButton("Delete", theme.DeleteIcon(), s.onDelete))
	right := container.NewVScroll(container.NewVBox(s.fields.form(), s.fields.errText, actions, s.status))
	split := container.NewHSplit(left, right)
	split.Offset = 0.35
	return split
}

// load fetches a page of packages (cursor "" starts over) and, with the
// first page, the channel and VOD names the pickers show.
func (s *packagesScreen) load(cursor string) {
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := s.w.sess.API()
		if c == nil {
			return func() {}
		}
		page, err := c.Packages(ctx, api.PackageFilter{}, api.ListParams{Cursor: cursor, Limit: api.MaxLimit})
		var names, vodNames map[int64]string
		if err == nil && cursor == "" {
			names, vodNames = s.fetchNames(ctx, c)
		}
		return func() {
			if err != nil {
				showOutcome(s.status, "", err)
				return
			}
			if cursor == "" {
				s.pkgs = nil
				s.names, s.vodNames = names, vodNames
			}
			s.pkgs, s.next = append(s.pkgs, page.Items...), page.Next
			if s.next == "" {
				s.more.Hide()
			} else {
				s.more.Show()
			}
			s.list.Refresh()
		}
	})
}

// fetchNames reads the first page of channels and VOD for labels; ids past
// it show as "#id" until found by a search.
func (s *packagesScreen) fetchNames(ctx context.Context, c *client.Client) (map[int64]string, map[int64]string) {
	names, vodNames := map[int64]string{}, map[int64]string{}
	if chs, err := c.Channels(ctx, api.ChannelFilter{}, api.ListParams{Limit: api.MaxLimit}); err == nil {
		for _, ch := range chs.Items {
			names[ch.ID] = channelLabel(ch)
		}
	}
	if vs, err := c.VODs(ctx, api.VODFilter{}, api.ListParams{Limit: api.MaxLimit}); err == nil {
		for _, v := range vs.Items {
			vodNames[v.ID] = v.Title
		}
	}
	return names, vodNames
}

func channelLabel(ch api.Channel) string {
	if ch.Title == "" || ch.Title == ch.Name {
		return ch.Name
	}
	return ch.Title + " (" + ch.Name + ")"
}

func (s *packagesScreen) searchChannels(ctx context.Context, q string) ([]pickItem, error) {
	page, err := s.w.sess.API().Channels(ctx, api.ChannelFilter{}, api.ListParams{Query: q, Limit: 100})
	out := make([]pickItem, len(page.Items))
	for i, ch := range page.Items {
		out[i] = pickItem{ID: ch.ID, Label: channelLabel(ch)}
	}
	return out, err
}

func (s *packagesScreen) searchVODs(ctx context.Context, q string) ([]pickItem, error) {
	page, err := s.w.sess.API().VODs(ctx, api.VODFilter{}, api.ListParams{Query: q, Limit: 100})
	out := make([]pickItem, len(page.Items))
	for i, v := range page.Items {
		out[i] = pickItem{ID: v.ID, Label: v.Title}
	}
	return out, err
}

func labelled(ids []int64, names map[int64]string) []pickItem {
	out := make([]pickItem, len(ids))
	for i, id := range ids {
		out[i] = pickItem{ID: id, Label: names[id]}
		if out[i].Label == "" {
			out[i].Label = "#" + strconv.FormatInt(id, 10)
		}
	}
	return out
}

// edit shows p in the form; a zero p starts a new package.
func (s *packagesScreen) edit(p api.Package) {
	s.editing = p
	s.name.SetText(p.Name)
	s.description.SetText(p.Description)
	s.price.SetText(p.Price)
	s.currency.SetText(p.Currency)
	s.period.SetText("")
	if p.PeriodDays > 0 {
		s.period.SetText(strconv.Itoa(p.PeriodDays))
	}
	s.sessions.SetText("")
	if p.MaxSessions > 0 {
		s.sessions.SetText(strconv.Itoa(p.MaxSessions))
	}
	s.free.SetChecked(p.Free)
	s.channels.set(labelled(p.ChannelIDs, s.names))
	s.vods.set(labelled(p.VODIDs, s.vodNames))
	s.status.SetText("")
	s.fields.setError(nil)
}

func (s *packagesScreen) onSave() {
	s.status.SetText("")
	period, err := intField("period_days", s.period.Text)
	if err != nil {
		s.fields.setError(err)
		return
	}
	sessions, err := intField("max_sessions", s.sessions.Text)
	if err != nil {
		s.fields.setError(err)
		return
	}
	p := api.Package{Name: s.name.Text, Description: s.description.Text, Price: strings.TrimSpace(s.price.Text),
		Currency: s.currency.Text, PeriodDays: period, MaxSessions: sessions, Free: s.free.Checked,
		ChannelIDs: s.channels.ids(), VODIDs: s.vods.ids()}
	id, version := s.editing.ID, s.editing.Version
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		var saved api.Package
		var err error
		if id == 0 {
			saved, err = s.w.sess.API().CreatePackage(ctx, p)
		} else {
			saved, err = s.w.sess.API().UpdatePackage(ctx, id, api.PackageUpdate{Name: &p.Name, Description: &p.Description,
				Price: &p.Price, Currency: &p.Currency, PeriodDays: &p.PeriodDays, MaxSessions: &p.MaxSessions, Free: &p.Free,
				ChannelIDs: &p.ChannelIDs, VODIDs: &p.VODIDs, Version: version})
		}
		return func() {
			s.fields.setError(err)
			if err == nil {
				s.editing = saved
				s.load("")
				showOutcome(s.status, "Saved "+saved.Name+".", nil)
			}
		}
	})
}

func (s *packagesScreen) onDelete() {
	p := s.editing
	if p.ID == 0 {
		return
	}
	s.w.confirmDelete("Delete package", "Delete the package "+p.Name+"? Subscribers cannot hold a deleted package.",
		func(ctx context.Context, c *client.Client) error { return c.DeletePackage(ctx, p.ID) },
		func(err error) {
			if err == nil {
				s.edit(api.Package{})
				s.load("")
			}
			showOutcome(s.status, "Deleted "+p.Name+".", err)
		})
}

// onEvent reloads when packages change elsewhere.
func (s *packagesScreen) onEvent(e api.Event) {
	if changed(e, api.EntityPackage) {
		s.load("")
	}
}

func (s *packagesScreen) resync() { s.load("") }
