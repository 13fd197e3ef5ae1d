package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// sessionsRefreshEvery is how often the sessions screen re-reads the live
// sessions: new sessions come from streamers, not as events.
var sessionsRefreshEvery = 15 * time.Second

// sessionColumns answer "who is watching what, where": names, not ids.
var sessionColumns = []textColumn[api.PlaySession]{
	{"Subscriber", 110, func(p api.PlaySession) string { return orID(p.SubscriberLogin, p.SubscriberID) }},
	{"Channel", 110, func(p api.PlaySession) string { return p.Name }},
	{"Streamer", 110, func(p api.PlaySession) string { return orHost(p.StreamerName, p.StreamerHost) }},
	{"Since", 120, func(p api.PlaySession) string { return formatTime(&p.OpenedAt) }},
	{"Duration", 80, func(p api.PlaySession) string { return formatDuration(p.Duration()) }},
	{"Bitrate", 90, func(p api.PlaySession) string {
		if b := p.Bitrate(); b > 0 {
			return formatBitrate(float64(b))
		}
		return "—" // not measured yet: no bytes reported
	}},
	{"Player", 130, func(p api.PlaySession) string { return api.PlayerName(p.UserAgent) }},
	{"Address", 110, func(p api.PlaySession) string { return p.IP }},
	{"Proto", 50, func(p api.PlaySession) string { return p.Proto }},
}

// sessionHistoryColumns add how each session ended, for a subscriber's history.
var sessionHistoryColumns = append(append([]textColumn[api.PlaySession]{}, sessionColumns...),
	textColumn[api.PlaySession]{"Ended", 150, func(p api.PlaySession) string {
		if p.ClosedAt == nil {
			return "live"
		}
		return formatTime(p.ClosedAt) + " " + p.CloseReason
	}})

// orID is a name, or "#id" when the record is gone.
func orID(name string, id int64) string {
	if name != "" {
		return name
	}
	return fmt.Sprintf("#%d", id)
}

// orHost is a registered streamer's name, or the address that asked.
func orHost(name, host string) string {
	if name != "" {
		return name
	}
	return host
}

// formatDuration shows a duration as people read it: 45s, 12m, 3h05m.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	default:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}

// sessionsScreen shows who watches what now, and ends a session on
// request; its Refused tab shows the plays the server refused.
type sessionsScreen struct {
	w          *Window
	sessions   []api.PlaySession
	next       string
	viewers    int64 // what the streamers report: the dashboard's "Viewers now"
	selected   *api.PlaySession
	channel    *widget.Entry
	subscriber *widget.Entry
	table      *fitTable
	more       *widget.Button
	info       *widget.Label
	refused    *refusedPanel
	ui         fyne.CanvasObject
}

func newSessionsScreen(w *Window) *sessionsScreen {
	s := &sessionsScreen{w: w, info: statusLabel(), channel: &widget.Entry{PlaceHolder: "e.g. news"},
		subscriber: &widget.Entry{PlaceHolder: "e.g. carol"}, refused: newRefusedPanel(w)}
	for _, e := range []*widget.Entry{s.channel, s.subscriber} {
		e.OnSubmitted = func(string) { s.load("") }
	}
	s.table = newTextTable(sessionColumns, func() []api.PlaySession { return s.sessions }, func(p api.PlaySession) { s.selected = &p })
	s.more = &widget.Button{Text: "More", OnTapped: func() { s.load(s.next) }}
	s.more.Hide()
	s.load("")
	go s.refreshLoop(w.sess.API())
	return s
}

func (s *sessionsScreen) buildUI() fyne.CanvasObject {
	if s.ui != nil {
		return s.ui
	}
	bar := container.NewBorder(nil, nil, nil, toolbar(
		&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: func() { s.load("") }},
		s.w.editButton("Kill session", theme.CancelIcon(), s.onKill)),
		container.NewGridWithColumns(2, withLabel("Subscriber login", s.subscriber), withLabel("Channel", s.channel)))
	live := container.NewBorder(bar, container.NewBorder(nil, nil, nil, s.more, s.info), nil, nil, s.table)
	s.ui = container.NewAppTabs(container.NewTabItem("Live", live), container.NewTabItem("Refused", s.refused.buildUI()))
	return s.ui
}

// withLabel puts a filter's label before it.
func withLabel(label string, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, &widget.Label{Text: label}, nil, o)
}

// refreshLoop re-reads the first page periodically while c is the
// session's client; it ends after sign-out.
func (s *sessionsScreen) refreshLoop(c *client.Client) {
	t := time.NewTicker(sessionsRefreshEvery)
	defer t.Stop()
	for range t.C {
		if c == nil || s.w.sess.API() != c {
			return
		}
		s.w.do(func() { s.load(""); s.refused.load() })
	}
}

func (s *sessionsScreen) filter() api.PlaySessionFilter {
	return api.PlaySessionFilter{Channel: strings.TrimSpace(s.channel.Text), SubscriberLogin: strings.TrimSpace(s.subscriber.Text)}
}

// load fetches a page of live sessions; cursor "" starts over and also
// reads the streamers' own viewer count, which the summary compares.
func (s *sessionsScreen) load(cursor string) {
	f := s.filter()
	s.w.fetch(func(ctx context.Context, c *client.Client) func() {
		page, err := c.PlaySessions(ctx, f, api.ListParams{Cursor: cursor, Limit: 200})
		viewers := int64(-1)
		if cursor == "" {
			if fleet, ferr := c.Fleet(ctx); ferr == nil {
				viewers = 0
				for _, st := range fleet.Streamers {
					viewers += st.Clients
				}
			}
		}
		return func() { s.show(cursor, f, page, viewers, err) }
	}, func() {})
}

func (s *sessionsScreen) show(cursor string, f api.PlaySessionFilter, page api.Page[api.PlaySession], viewers int64, err error) {
	if err != nil {
		showOutcome(s.info, "", err)
		return
	}
	if cursor == "" {
		s.sessions, s.selected, s.viewers = nil, nil, viewers
		s.table.UnselectAll()
	}
	s.sessions, s.next = append(s.sessions, page.Items...), page.Next
	if s.next == "" {
		s.more.Hide()
	} else {
		s.more.Show()
	}
	s.info.Importance = widget.MediumImportance
	s.info.SetText(sessionSummary(len(s.sessions), s.next != "", f != api.PlaySessionFilter{}, s.viewers))
	s.table.Refresh()
}

// sessionSummary is the total row: the live sessions Canale authorized,
// and beside them the streamers' own count that the dashboard shows as
// "Viewers now", with why the two may differ.
func sessionSummary(n int, more, filtered bool, viewers int64) string {
	count := fmt.Sprintf("%d", n)
	if more {
		count += "+"
	}
	text := count + " live sessions"
	if filtered {
		return text + " match the filter"
	}
	if viewers < 0 {
		return text
	}
	text += fmt.Sprintf(" · streamers report %d viewers (the dashboard's \"Viewers now\")", viewers)
	if int64(n) != viewers && !more {
		text += ": sessions count players Canale authorized in the last checks; streamers count open connections, polled every few seconds"
	}
	return text
}

func (s *sessionsScreen) onKill() {
	p := s.selected
	if p == nil {
		showOutcome(s.info, "", fmt.Errorf("select a session first"))
		return
	}
	s.w.confirm("Kill session", fmt.Sprintf("End %s's session on %s from %s? The player is cut off at once.",
		orID(p.SubscriberLogin, p.SubscriberID), p.Name, p.IP), "Kill session", func() { s.kill(p.ID) })
}

func (s *sessionsScreen) kill(id int64) {
	s.w.call(func(ctx context.Context, c *client.Client) error { return c.KillPlaySession(ctx, id) }, func(err error) {
		if err != nil {
			showOutcome(s.info, "", err)
			return
		}
		s.load("")
	})
}

// onEvent re-reads the list when a session is killed anywhere.
func (s *sessionsScreen) onEvent(e api.Event) {
	if changed(e, api.EntityPlaySession) {
		s.load("")
	}
}

func (s *sessionsScreen) resync() { s.load(""); s.refused.load() }
