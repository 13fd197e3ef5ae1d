package ui

import (
	"strings"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// alertRow is one alert of the list: the severity as icon, colour and word
// (so it reads without colour too), the date and time it was raised, what
// happened, and whether it is over.
type alertRow struct {
	icon     *widget.Icon
	severity *widget.Label
	at       *widget.Label
	text     *widget.Label
	resolved *widget.Label
	ack      *widget.Button
}

// alertTimeFormat shows the date as well as the time: an alert raised
// yesterday evening must not read as this evening's.
const alertTimeFormat = "2006-01-02 15:04:05"

func (s *alertsScreen) createItem() fyne.CanvasObject {
	r := &alertRow{icon: &widget.Icon{},
		severity: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
		at:       &widget.Label{},
		text:     &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		resolved: &widget.Label{Importance: widget.SuccessImportance},
		ack:      &widget.Button{Text: "Acknowledge", Icon: theme.ConfirmIcon(), Importance: widget.LowImportance}}
	left := container.NewHBox(r.icon, container.New(&fixedWidth{w: 84}, r.severity), r.at)
	row := container.NewBorder(nil, nil, left, container.NewHBox(r.resolved, r.ack), r.text)
	s.rows[row] = r
	return row
}

func (s *alertsScreen) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	a := s.open[i]
	r := s.rows[o.(*fyne.Container)]
	r.show(a)
	r.ack.OnTapped = func() { s.onAcknowledge(a.ID) }
}

// show fills the row with a.
func (r *alertRow) show(a api.Alert) {
	r.icon.SetResource(severityIcon(a.Severity))
	r.severity.Importance = severityImportance(a.Severity)
	r.severity.SetText(strings.ToUpper(string(a.Severity)))
	r.at.SetText(a.At.Local().Format(alertTimeFormat))
	r.text.TextStyle.Italic = a.ResolvedAt != nil
	r.text.SetText(a.Subject + ": " + a.Message)
	if a.ResolvedAt != nil {
		r.resolved.SetText("Resolved " + a.ResolvedAt.Local().Format(alertTimeFormat))
		r.resolved.Show()
	} else {
		r.resolved.SetText("")
		r.resolved.Hide()
	}
}

// severityIcon is the icon of a severity, in its colour: a red error sign,
// an amber warning sign, a blue "i".
func severityIcon(sev api.Severity) fyne.Resource {
	switch sev {
	case api.SeverityCritical:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case api.SeverityWarning:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.NewPrimaryThemedResource(theme.InfoIcon())
}

// severityImportance colours a severity's word as its icon.
func severityImportance(sev api.Severity) widget.Importance {
	switch sev {
	case api.SeverityCritical:
		return widget.DangerImportance
	case api.SeverityWarning:
		return widget.WarningImportance
	}
	return widget.HighImportance
}
