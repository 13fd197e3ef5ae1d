package ui

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// alertsTitle is the Alerts tab's title; the count of open alerts follows it.
const alertsTitle = "Alerts"

// alertsScreen lists the alerts nobody has acknowledged yet, counts them on
// its tab and raises a desktop notification for each new one. The server
// keeps the open alerts, so the list is read on sign-in and after a
// reconnect; an acknowledgement is sent to the server, which clears the
// alert in every NOC engineer's app.
type alertsScreen struct {
	w      *Window
	open   []api.Alert
	list   *widget.List
	empty  *widget.Label
	info   *widget.Label
	ackAll *widget.Button
	// arrived are the alerts the event stream brought while a load was
	// under way: the list read may predate them.
	loading bool
	arrived []api.Alert
	rows    map[*fyne.Container]*alertRow // the list's rows, by the object it recycles
}

func newAlertsScreen(w *Window) *alertsScreen {
	s := &alertsScreen{w: w, rows: map[*fyne.Container]*alertRow{}, empty: &widget.Label{Text: "No open alerts.", Alignment: fyne.TextAlignCenter}, info: statusLabel()}
	s.list = &widget.List{Length: func() int { return len(s.open) }, CreateItem: s.createItem, UpdateItem: s.updateItem}
	s.ackAll = &widget.Button{Text: "Acknowledge all", Icon: theme.ConfirmIcon(), OnTapped: s.onAcknowledgeAll}
	s.ackAll.Disable()
	s.load()
	return s
}

func (s *alertsScreen) buildUI() fyne.CanvasObject {
	return container.NewBorder(container.NewHBox(s.ackAll), s.info, nil, nil, container.NewStack(s.list, s.empty))
}

// load reads the open alerts from the server.
func (s *alertsScreen) load() {
	s.loading, s.arrived = true, nil
	s.w.fetch(func(ctx context.Context, c *client.Client) func() {
		alerts, err := c.Alerts(ctx)
		return func() {
			s.loading = false
			if err != nil {
				showOutcome(s.info, "", err)
				return
			}
			for _, a := range s.arrived {
				alerts = addAlert(alerts, a)
			}
			s.open, s.arrived = alerts, nil
			s.changed()
		}
	}, func() { s.loading = false })
}

func (s *alertsScreen) resync() { s.load() }

// onEvent takes alert events, raising a notification for each new one, and
// reloads the list when an acknowledgement was made anywhere.
func (s *alertsScreen) onEvent(e api.Event) {
	if changed(e, api.EntityAlert) {
		s.load()
		return
	}
	if e.Type != api.EventAlert {
		return
	}
	var a api.Alert
	if err := json.Unmarshal(e.Data, &a); err != nil {
		return
	}
	if s.loading {
		s.arrived = append(s.arrived, a)
	}
	n := len(s.open)
	if s.open = addAlert(s.open, a); len(s.open) == n {
		return // a repeat of an open alert is not counted twice
	}
	s.w.app.SendNotification(fyne.NewNotification("Canale "+strings.ToUpper(string(a.Severity))+": "+a.Subject, a.Message))
	s.changed()
}

// addAlert puts a in the newest-first list unless it is there already.
func addAlert(list []api.Alert, a api.Alert) []api.Alert {
	for _, o := range list {
		if o.ID == a.ID {
			return list
		}
	}
	i := 0
	for i < len(list) && list[i].At.After(a.At) {
		i++
	}
	return slices.Insert(list, i, a)
}

func (s *alertsScreen) onAcknowledge(id string) {
	s.open = slices.DeleteFunc(s.open, func(a api.Alert) bool { return a.ID == id })
	s.changed()
	s.acknowledge([]string{id})
}

func (s *alertsScreen) onAcknowledgeAll() {
	ids := make([]string, len(s.open))
	for i, a := range s.open {
		ids[i] = a.ID
	}
	s.open = nil
	s.changed()
	s.acknowledge(ids)
}

// acknowledge tells the server; the list already shows the alerts gone, and
// is read again if the server refused.
func (s *alertsScreen) acknowledge(ids []string) {
	if len(ids) == 0 {
		return
	}
	s.w.call(func(ctx context.Context, c *client.Client) error { return c.AcknowledgeAlerts(ctx, ids) }, func(err error) {
		if err != nil {
			showOutcome(s.info, "", err)
			s.load()
		}
	})
}

func (s *alertsScreen) changed() {
	if len(s.open) == 0 {
		s.empty.Show()
		s.ackAll.Disable()
	} else {
		s.empty.Hide()
		s.ackAll.Enable()
	}
	s.list.Refresh()
	s.w.setTabBadge(alertsTitle, len(s.open))
	for _, sc := range s.w.screens {
		if d, ok := sc.(interface{ setOpenAlerts(int) }); ok {
			d.setOpenAlerts(len(s.open))
		}
	}
}
