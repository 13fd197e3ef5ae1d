package ui

import (
	"slices"
	"strings"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// dashboardCard is one figure of the dashboard: a title in the foreground
// colour (the dimmed "low importance" text was hard to read on the dark
// theme) over its value and any notes, on the theme's input background so
// it stands out in light and dark themes alike.
func dashboardCard(title string, value *widget.Label, notes ...fyne.CanvasObject) fyne.CanvasObject {
	bg := &canvas.Rectangle{FillColor: theme.Color(theme.ColorNameInputBackground), CornerRadius: theme.InputRadiusSize()}
	head := &widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	return container.NewStack(bg, container.NewPadded(container.NewVBox(append([]fyne.CanvasObject{head, value}, notes...)...)))
}

// showDown names the streamers that are down under their count, in red,
// and turns the count red too: the first thing a NOC looks for.
func (s *dashboardScreen) showDown(f api.FleetStatus) {
	var names []string
	for _, st := range f.Streamers {
		if st.Health == api.HealthDown {
			names = append(names, st.Name)
		}
	}
	slices.Sort(names)
	s.streamers.Importance = widget.MediumImportance
	if len(names) > 0 {
		s.streamers.Importance = widget.DangerImportance
	}
	s.streamers.Refresh()
	s.down.SetText("Down: " + strings.Join(names, ", "))
	s.down.Hidden = len(names) == 0
	s.down.Refresh()
}

// showAlerts shows the Alerts screen.
func (w *Window) showAlerts() {
	if w.tabs == nil {
		return
	}
	for _, it := range w.tabs.Items {
		if it.Text == alertsTitle || strings.HasPrefix(it.Text, alertsTitle+" (") {
			w.tabs.Select(it)
		}
	}
}

// tapCard makes a card a button: tapping it runs OnTapped, and the pointer
// turns into a hand over it.
type tapCard struct {
	widget.BaseWidget
	content  fyne.CanvasObject
	OnTapped func()
}

func newTapCard(content fyne.CanvasObject, tapped func()) *tapCard {
	c := &tapCard{content: content, OnTapped: tapped}
	c.ExtendBaseWidget(c)
	return c
}

func (c *tapCard) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.content) }

func (c *tapCard) Tapped(*fyne.PointEvent) {
	if c.OnTapped != nil {
		c.OnTapped()
	}
}

func (c *tapCard) Cursor() desktop.Cursor { return desktop.PointerCursor }
