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

var streamerColumns = []struct {
	title string
	width float32
	value func(s api.Streamer, h api.StreamerHealth) string
}{
	{"Name", 120, func(s api.Streamer, _ api.StreamerHealth) string { return s.Name }},
	{"Health", 80, func(s api.Streamer, h api.StreamerHealth) string {
		if !s.Enabled {
			return "disabled"
		}
		return h.Health
	}},
	{"Version", 70, func(_ api.Streamer, h api.StreamerHealth) string { return h.Version }},
	{"CPU", 60, func(_ api.Streamer, h api.StreamerHealth) string { return strconv.FormatFloat(h.CPU, 'f', 0, 64) + "%" }},
	{"Clients", 70, func(_ api.Streamer, h api.StreamerHealth) string { return strconv.FormatInt(h.Clients, 10) }},
	{"In", 100, func(_ api.Streamer, h api.StreamerHealth) string { return formatKbps(h.InputKbps) }},
	{"Out", 100, func(_ api.Streamer, h api.StreamerHealth) string { return formatKbps(h.OutputKbps) }},
	{"Channels", 80, func(s api.Streamer, h api.StreamerHealth) string {
		return strconv.Itoa(h.PlacedChannels) + " / " + limitText(s.ChannelLimit)
	}},
	{"Roles", 140, func(s api.Streamer, _ api.StreamerHealth) string { return strings.Join(s.Roles, ", ") }},
	{"API", 200, func(s api.Streamer, _ api.StreamerHealth) string { return s.APIURL }},
}

func limitText(n int) string {
	if n == 0 {
		return "∞"
	}
	return strconv.Itoa(n)
}

// streamersScreen lists the streamers with their health and load, and shows
// which channels run on the selected one.
type streamersScreen struct {
	w         *Window
	streamers []api.Streamer
	fleet     fleetIndex
	selected  int

	table     *fitTable
	info      *widget.Label
	placement *widget.Label
	edit, del *widget.Button
	editor    *streamerEditor
}

func newStreamersScreen(w *Window) *streamersScreen {
	s := &streamersScreen{w: w, selected: -1, fleet: newFleetIndex(api.FleetStatus{}),
		info:      &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		placement: &widget.Label{Wrapping: fyne.TextWrapWord, Text: "Select a streamer to see its channels."}}
	s.table = newFitTable(&fitTable{Table: widget.Table{Length: func() (int, int) { return len(s.streamers), len(streamerColumns) },
		CreateCell: newTintedCell, UpdateCell: s.updateCell, ShowHeaderRow: true,
		CreateHeader: newHeaderLabel,
		UpdateHeader: func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Col >= 0 {
				o.(*widget.Label).SetText(streamerColumns[id.Col].title)
			}
		},
		OnSelected: func(id widget.TableCellID) { s.selected = id.Row; s.selectionChanged() }},
		MinWidths: columnMins(len(streamerColumns), func(i int) float32 { return streamerColumns[i].width }),
		Header:    func(col int) string { return streamerColumns[col].title },
		Text: func(row, col int) string {
			st := s.streamers[row]
			return streamerColumns[col].value(st, s.fleet.streamers[st.ID])
		}})
	s.edit = w.editButton("Edit", theme.DocumentCreateIcon(), s.onEdit)
	s.del = w.editButton("Delete", theme.DeleteIcon(), s.onDelete)
	s.selectionChanged()
	s.load()
	w.every(s.load)
	return s
}

func (s *streamersScreen) buildUI() fyne.CanvasObject {
	tools := []fyne.CanvasObject{&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.load}}
	if add := s.w.editButton("Add streamer", theme.ContentAddIcon(), s.onAdd); add != nil {
		tools = append(tools, add, s.edit, s.del)
	}
	bottom := widget.NewCard("Placement", "", container.NewVScroll(s.placement))
	split := container.NewVSplit(s.table, bottom)
	split.Offset = 0.7
	return container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(tools...), s.info), nil, nil, nil, split)
}

func (s *streamersScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	st := s.streamers[id.Row]
	h := s.fleet.streamers[st.ID]
	label := o.(*fyne.Container).Objects[1].(*widget.Label)
	label.Importance = widget.MediumImportance
	if st.Enabled && h.Health == api.HealthDown {
		label.Importance = widget.DangerImportance
	}
	label.SetText(streamerColumns[id.Col].value(st, h))
}

func (s *streamersScreen) load() {
	c := s.w.sess.API()
	if c == nil {
		return
	}
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		page, err := c.Streamers(ctx, api.StreamerFilter{}, api.ListParams{Limit: api.MaxLimit})
		if err != nil {
			return func() { s.info.SetText(message(err)) }
		}
		fl, ferr := c.Fleet(ctx)
		return func() {
			s.streamers = page.Items
			if ferr == nil {
				s.fleet = newFleetIndex(fl)
			}
			s.info.SetText(strconv.Itoa(len(page.Items)) + " streamers")
			if s.selected >= len(s.streamers) {
				s.selected = -1
			}
			s.selectionChanged()
			s.table.Refresh()
		}
	})
}

func (s *streamersScreen) current() (api.Streamer, bool) {
	if s.selected < 0 || s.selected >= len(s.streamers) {
		return api.Streamer{}, false
	}
	return s.streamers[s.selected], true
}

func (s *streamersScreen) selectionChanged() {
	st, ok := s.current()
	setEnabled(ok, s.edit, s.del)
	if !ok {
		return
	}
	chans := s.fleet.channelsOn(st.ID)
	h := s.fleet.streamers[st.ID]
	text := fmt.Sprintf("%s (%s): %d channels placed", st.Name, h.Health, len(chans))
	if h.LastError != "" {
		text += "; last error: " + h.LastError
	}
	if len(chans) > 0 {
		text += "\n" + strings.Join(chans, ", ")
	}
	s.placement.SetText(text)
}

func (s *streamersScreen) onAdd() { s.openEditor(api.Streamer{Enabled: true}) }

func (s *streamersScreen) onEdit() {
	if st, ok := s.current(); ok {
		s.openEditor(st)
	}
}

func (s *streamersScreen) openEditor(st api.Streamer) {
	ed := newStreamerEditor(s.w, st)
	s.editor = ed
	ed.open(ed.heading(), fyne.NewSize(560, 640), func() (saveCall, error) {
		in, err := ed.value()
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, c *client.Client) error {
			if st.ID == 0 {
				_, err := c.CreateStreamer(ctx, in)
				return err
			}
			_, err := c.UpdateStreamer(ctx, st.ID, streamerUpdate(in, st.Version))
			return err
		}, nil
	}, s.load)
}

// streamerUpdate sets every field the editor shows; credentials only when
// typed, as the server never sends them back.
func streamerUpdate(in api.StreamerCreate, version int) api.StreamerUpdate {
	u := api.StreamerUpdate{Name: &in.Name, APIURL: &in.APIURL, PublicURL: &in.PublicURL, Roles: &in.Roles,
		ChannelLimit: &in.ChannelLimit, BandwidthLimitKbps: &in.BandwidthLimitKbps, Autobalancer: &in.Autobalancer,
		Enabled: in.Enabled, Version: version}
	if in.APILogin != "" || in.APIPassword != "" {
		u.APILogin, u.APIPassword = &in.APILogin, &in.APIPassword
	}
	if in.APIKey != "" {
		u.APIKey = &in.APIKey
	}
	return u
}

func (s *streamersScreen) onDelete() {
	st, ok := s.current()
	if !ok {
		return
	}
	s.w.confirmDelete("Delete streamer", "Delete streamer "+st.Name+"? Its channels move to other streamers.",
		func(ctx context.Context, c *client.Client) error { return c.DeleteStreamer(ctx, st.ID) },
		func(err error) {
			if err != nil {
				s.info.SetText(message(err))
				return
			}
			s.selected = -1
			s.load()
		})
}

func (s *streamersScreen) onEvent(e api.Event) {
	if isFleetEvent(e.Type) || changed(e, api.EntityStreamer, api.EntityPlacement, api.EntityChannel) {
		s.load()
	}
}

func (s *streamersScreen) resync() { s.load() }

// streamerEditor is the form of one streamer, in the app's one form
// dialog; credentials are write-only.
type streamerEditor struct {
	*formDialog
	st                             api.Streamer
	name, apiURL, publicURL, login *keyEntry
	password, key                  *widget.Entry
	channelLimit, bandwidth        *keyEntry
	roles                          *widget.CheckGroup
	autobalancer, enabled          *widget.Check
}

func newStreamerEditor(w *Window, st api.Streamer) *streamerEditor {
	e := &streamerEditor{st: st, name: w.entry(st.Name, "e.g. edge-1"),
		apiURL:    w.entry(st.APIURL, "e.g. http://10.0.0.5:80"),
		publicURL: w.entry(st.PublicURL, "e.g. https://edge1.example.com"),
		login:     w.entry("", ""), password: widget.NewPasswordEntry(), key: widget.NewPasswordEntry(),
		channelLimit: w.entry(strconv.Itoa(st.ChannelLimit), ""),
		bandwidth:    w.entry(strconv.FormatInt(st.BandwidthLimitKbps, 10), ""),
		roles:        widget.NewCheckGroup([]string{api.RoleIngest, api.RoleTranscode, api.RoleDVR, api.RoleEdge}, nil),
		autobalancer: &widget.Check{Text: "Autobalancer", Checked: st.Autobalancer},
		enabled:      &widget.Check{Text: "Enabled", Checked: st.Enabled}}
	e.roles.Horizontal = true
	e.roles.Selected = append([]string{}, st.Roles...)
	hint := "(kept unless typed)"
	if !st.HasCredentials {
		hint = "(none set)"
	}
	e.login.PlaceHolder, e.password.PlaceHolder, e.key.PlaceHolder = hint, hint, hint
	e.formDialog = newFormDialog(w, []formField{
		{label: "Name", key: "name", widget: e.name}, {label: "API URL", key: "api_url", widget: e.apiURL},
		{label: "Public URL", key: "public_url", widget: e.publicURL},
		{label: "API login", key: "api_login", widget: e.login}, {label: "API password", key: "api_password", widget: e.password},
		{label: "API key", key: "api_key", widget: e.key, hint: "bearer key instead of login and password"},
		{label: "Roles", key: "roles", widget: e.roles},
		{label: "Channel limit", key: "channel_limit", widget: e.channelLimit, hint: "0: no limit"},
		{label: "Bandwidth limit", key: "bandwidth_limit_kbps", widget: e.bandwidth, hint: "kbit/s, 0: no limit"},
		{widget: container.NewHBox(e.autobalancer, e.enabled)},
	})
	return e
}

func (e *streamerEditor) heading() string {
	if e.st.ID == 0 {
		return "New streamer"
	}
	return "Streamer " + e.st.Name
}

// value reads the form; a number that does not read names its field.
func (e *streamerEditor) value() (api.StreamerCreate, error) {
	limit, err := intField("channel_limit", e.channelLimit.Text)
	if err != nil {
		return api.StreamerCreate{}, err
	}
	bw, err := intField("bandwidth_limit_kbps", e.bandwidth.Text)
	if err != nil {
		return api.StreamerCreate{}, err
	}
	enabled := e.enabled.Checked
	return api.StreamerCreate{Name: strings.TrimSpace(e.name.Text), APIURL: strings.TrimSpace(e.apiURL.Text),
		PublicURL: strings.TrimSpace(e.publicURL.Text), Roles: append([]string{}, e.roles.Selected...),
		ChannelLimit: limit, BandwidthLimitKbps: int64(bw), Autobalancer: e.autobalancer.Checked, Enabled: &enabled,
		StreamerCredentials: api.StreamerCredentials{APILogin: e.login.Text, APIPassword: e.password.Text, APIKey: e.key.Text}}, nil
}
