package ui

import (
	"fmt"
	"strconv"
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

var sessionColumns = []textColumn[api.PlaySession]{
	{"Channel", 120, func(p api.PlaySession) string { return p.Name }},
	{"Subscriber", 80, func(p api.PlaySession) string { return strconv.FormatInt(p.SubscriberID, 10) }},
	{"Streamer", 120, func(p api.PlaySession) string { return p.StreamerHost }},
	{"Address", 110, func(p api.PlaySession) string { return p.IP }},
	{"Proto", 60, func(p api.PlaySession) string { return p.Proto }},
	{"Since", 120, func(p api.PlaySession) string { return formatTime(&p.OpenedAt) }},
	{"Ended", 120, func(p api.PlaySession) string {
		if p.ClosedAt == nil {
			return "live"
		}
		return formatTime(p.ClosedAt) + " " + p.CloseReason
	}},
	{"Player", 160, func(p api.PlaySession) string { return p.UserAgent }},
}

// sessionsScreen shows who watches what now, and ends a session on request.
type sessionsScreen struct {
	w          *Window
	sessions   []api.PlaySession
	next       string
	selected   *api.PlaySession
	channel    *widget.Entry
	subscriber *widget.Entry
	streamer   *widget.Entry
	table      *fitTable
	more       *widget.Button
	info       *widget.Label
}

func newSessionsScreen(w *Window) *sessionsScreen {
	s := &sessionsScreen{w: w, info: statusLabel(), channel: &widget.Entry{PlaceHolder: "channel name"},
		subscriber: &widget.Entry{PlaceHolder: "subscriber id"}, streamer: &widget.Entry{PlaceHolder: "streamer id"}}
	for _, e := range []*widget.Entry{s.channel, s.subscriber, s.streamer} {
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
	bar := container.NewBorder(nil, nil, nil, toolbar(
		&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: func() { s.load("") }},
		s.w.editButton("Kill session", theme.CancelIcon(), s.onKill)),
		container.NewGridWithColumns(3, s.channel, s.subscriber, s.streamer))
	return container.NewBorder(bar, container.NewBorder(nil, nil, nil, s.more, s.info), nil, nil, s.table)
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
		s.w.do(func() { s.load("") })
	}
}

func (s *sessionsScreen) filter() (api.PlaySessionFilter, error) {
	f := api.PlaySessionFilter{Channel: strings.TrimSpace(s.channel.Text)}
	var err error
	if v := strings.TrimSpace(s.subscriber.Text); v != "" {
		if f.SubscriberID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return f, fmt.Errorf("subscriber must be an id number")
		}
	}
	if v := strings.TrimSpace(s.streamer.Text); v != "" {
		if f.StreamerID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return f, fmt.Errorf("streamer must be an id number")
		}
	}
	return f, nil
}

// load fetches a page of live sessions; cursor "" starts over.
func (s *sessionsScreen) load(cursor string) {
	f, err := s.filter()
	if err != nil {
		showOutcome(s.info, "", err)
		return
	}
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := s.w.sess.API()
		if c == nil {
			return func() {}
		}
		page, err := c.PlaySessions(ctx, f, cursor, 200)
		return func() {
			if err != nil {
				showOutcome(s.info, "", err)
				return
			}
			if cursor == "" {
				s.sessions, s.selected = nil, nil
				s.table.UnselectAll()
			}
			s.sessions, s.next = append(s.sessions, page.Items...), page.Next
			if s.next == "" {
				s.more.Hide()
			} else {
				s.more.Show()
			}
			s.info.Importance = widget.MediumImportance
			s.info.SetText(fmt.Sprintf("%d sessions", len(s.sessions)))
			s.table.Refresh()
		}
	})
}

func (s *sessionsScreen) onKill() {
	p := s.selected
	if p == nil {
		showOutcome(s.info, "", fmt.Errorf("select a session first"))
		return
	}
	s.w.confirm("Kill session", fmt.Sprintf("End subscriber %d's session on %s from %s? The player is cut off at once.",
		p.SubscriberID, p.Name, p.IP), "Kill session", func() { s.kill(p.ID) })
}

func (s *sessionsScreen) kill(id int64) {
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		err := s.w.sess.API().KillPlaySession(ctx, id)
		return func() {
			if err != nil {
				showOutcome(s.info, "", err)
				return
			}
			s.load("")
		}
	})
}

// onEvent re-reads the list when a session is killed anywhere.
func (s *sessionsScreen) onEvent(e api.Event) {
	if ch, ok := changeOf(e); ok && ch.Entity == api.EntityPlaySession {
		s.load("")
	}
}

func (s *sessionsScreen) resync() { s.load("") }
