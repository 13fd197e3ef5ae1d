package ui

import (
	"encoding/json"
	"strings"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// alertsTitle is the Alerts tab's title; the count of open alerts follows it.
const alertsTitle = "Alerts"

// alertsScreen lists the alerts nobody has acknowledged yet, counts them on
// its tab and raises a desktop notification for each new one.
// Acknowledgement is local to this app for now: the server keeps no alert
// state yet.
type alertsScreen struct {
	w      *Window
	open   []api.Alert
	list   *widget.List
	empty  *widget.Label
	ackAll *widget.Button
}

func newAlertsScreen(w *Window) *alertsScreen {
	s := &alertsScreen{w: w, empty: &widget.Label{Text: "No open alerts.", Alignment: fyne.TextAlignCenter}}
	s.list = &widget.List{Length: func() int { return len(s.open) }, CreateItem: s.createItem, UpdateItem: s.updateItem}
	s.ackAll = &widget.Button{Text: "Acknowledge all", Icon: theme.ConfirmIcon(), OnTapped: s.onAcknowledgeAll}
	s.ackAll.Disable()
	return s
}

func (s *alertsScreen) buildUI() fyne.CanvasObject {
	return container.NewBorder(container.NewHBox(s.ackAll), nil, nil, nil, container.NewStack(s.list, s.empty))
}

func (s *alertsScreen) createItem() fyne.CanvasObject {
	text := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	ack := &widget.Button{Text: "Acknowledge", Icon: theme.ConfirmIcon(), Importance: widget.LowImportance}
	return container.NewBorder(nil, nil, &widget.Icon{}, ack, text)
}

func (s *alertsScreen) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	a := s.open[i]
	row := o.(*fyne.Container)
	row.Objects[0].(*widget.Label).SetText(a.At.Local().Format("15:04:05") + "  " + a.Subject + ": " + a.Message)
	row.Objects[1].(*widget.Icon).SetResource(severityIcon(a.Severity))
	row.Objects[2].(*widget.Button).OnTapped = func() { s.onAcknowledge(a.ID) }
}

func severityIcon(sev api.Severity) fyne.Resource {
	switch sev {
	case api.SeverityCritical:
		return theme.ErrorIcon()
	case api.SeverityWarning:
		return theme.WarningIcon()
	}
	return theme.InfoIcon()
}

// onEvent takes alert events; a repeat of an open alert is not counted twice.
func (s *alertsScreen) onEvent(e api.Event) {
	if e.Type != api.EventAlert {
		return
	}
	var a api.Alert
	if err := json.Unmarshal(e.Data, &a); err != nil {
		return
	}
	for _, o := range s.open {
		if o.ID == a.ID {
			return
		}
	}
	s.open = append([]api.Alert{a}, s.open...)
	s.w.app.SendNotification(fyne.NewNotification("Canale "+strings.ToUpper(string(a.Severity))+": "+a.Subject, a.Message))
	s.changed()
}

func (s *alertsScreen) onAcknowledge(id string) {
	for i, a := range s.open {
		if a.ID == id {
			s.open = append(s.open[:i:i], s.open[i+1:]...)
			break
		}
	}
	s.changed()
}

func (s *alertsScreen) onAcknowledgeAll() {
	s.open = nil
	s.changed()
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
