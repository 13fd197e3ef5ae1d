package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// sidebar is the signed-in window's navigation: every screen in a list
// that scrolls (so none hides behind an overflow menu on a short screen),
// a heading naming the screen shown, and that screen below it. It replaces
// container.AppTabs, whose leading tabs fold the screens that do not fit
// into a "⋮" menu and whose content sets the window's minimum width to the
// widest screen's.
type sidebar struct {
	// Items are the screens, top to bottom; Text may carry a badge, as
	// "Alerts (3)". They keep AppTabs' shape so callers read them alike.
	Items []*container.TabItem
	// OnSelected runs after the shown screen changed.
	OnSelected func(*container.TabItem)

	current int
	list    *widget.List
	heading *widget.Label
	body    *fyne.Container
	views   map[*container.TabItem]fyne.CanvasObject
	ui      fyne.CanvasObject
}

func newSidebar() *sidebar {
	n := &sidebar{current: -1, views: map[*container.TabItem]fyne.CanvasObject{},
		heading: &widget.Label{SizeName: theme.SizeNameHeadingText, TextStyle: fyne.TextStyle{Bold: true}},
		body:    container.NewStack()}
	n.list = &widget.List{
		Length:     func() int { return len(n.Items) },
		CreateItem: func() fyne.CanvasObject { return container.NewHBox(&widget.Icon{}, &widget.Label{}) },
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(n.Items[i].Icon)
			l := row.Objects[1].(*widget.Label)
			l.TextStyle.Bold = i == n.current
			l.SetText(n.Items[i].Text)
		},
		OnSelected: func(i widget.ListItemID) { n.SelectIndex(i) },
	}
	n.list.ExtendBaseWidget(n.list)
	return n
}

// Append adds a screen at the foot of the list.
func (n *sidebar) Append(it *container.TabItem) {
	n.Items = append(n.Items, it)
	// Measuring builds the screen's widgets now, as AppTabs did: screens
	// scroll and select their lists from their first load, shown or not.
	n.view(it).MinSize()
	if n.current < 0 {
		n.SelectIndex(0)
	}
	n.list.Refresh()
}

// Selected returns the screen shown.
func (n *sidebar) Selected() *container.TabItem {
	if n.current < 0 || n.current >= len(n.Items) {
		return nil
	}
	return n.Items[n.current]
}

// Select shows it.
func (n *sidebar) Select(it *container.TabItem) {
	for i, o := range n.Items {
		if o == it {
			n.SelectIndex(i)
			return
		}
	}
}

// SelectIndex shows the i-th screen.
func (n *sidebar) SelectIndex(i int) {
	if i < 0 || i >= len(n.Items) {
		return
	}
	changed := i != n.current
	n.current = i
	it := n.Items[i]
	n.heading.SetText(it.Text)
	n.body.Objects = []fyne.CanvasObject{n.view(it)}
	n.body.Refresh()
	n.list.Select(i) // a no-op when the list itself was tapped
	n.list.Refresh()
	if changed && n.OnSelected != nil {
		n.OnSelected(it)
	}
}

// step shows the screen d places down the list (up when negative),
// wrapping around, for the next/previous screen shortcuts.
func (n *sidebar) step(d int) {
	if len(n.Items) == 0 {
		return
	}
	n.SelectIndex(((n.current+d)%len(n.Items) + len(n.Items)) % len(n.Items))
}

// view wraps a screen so it scrolls sideways when the window is narrower
// than the screen's toolbar, instead of widening the window past the
// display and cutting its right edge off.
func (n *sidebar) view(it *container.TabItem) fyne.CanvasObject {
	v, ok := n.views[it]
	if !ok {
		v = container.NewHScroll(it.Content)
		n.views[it] = v
	}
	return v
}

// Refresh redraws the list and heading, after a badge changed.
func (n *sidebar) Refresh() {
	if it := n.Selected(); it != nil {
		n.heading.SetText(it.Text)
	}
	n.list.Refresh()
}

func (n *sidebar) buildUI() fyne.CanvasObject {
	if n.ui == nil {
		rule := canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))
		rule.SetMinSize(fyne.NewSize(1, 1))
		nav := container.NewBorder(nil, nil, nil, rule, n.list)
		head := container.NewBorder(nil, widget.NewSeparator(), nil, nil, container.NewPadded(n.heading))
		n.ui = container.NewBorder(nil, nil, container.New(&fixedWidth{w: sidebarWidth}, nav), nil,
			container.NewBorder(head, nil, nil, nil, n.body))
	}
	return n.ui
}

// sidebarWidth fits the longest screen title beside its icon.
const sidebarWidth = 168

// fixedWidth gives its objects one width and whatever height there is.
type fixedWidth struct{ w float32 }

func (l *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.w, h)
}

func (l *fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	layout.NewStackLayout().Layout(objs, fyne.NewSize(l.w, size.Height))
}

// navIcons gives every screen of the sidebar its own icon; several shared
// one in the screen list (Dashboard and Resellers a house, Channels,
// Sessions and Series a camera), so the list could not be read by its
// icons. A screen not named here keeps the icon of its screenSpec.
var navIcons = map[string]fyne.Resource{
	"Dashboard":   theme.HomeIcon(),
	"Channels":    theme.MediaVideoIcon(),
	"Streamers":   theme.ComputerIcon(),
	"Pipelines":   theme.MediaFastForwardIcon(),
	"Packages":    theme.FolderIcon(),
	"Subscribers": theme.AccountIcon(),
	"Resellers":   theme.GridIcon(),
	"Sessions":    theme.MediaPlayIcon(),
	"EPG sources": theme.CalendarIcon(),
	"Alerts":      theme.WarningIcon(),
	"Audit log":   theme.HistoryIcon(),
	"Staff":       theme.LoginIcon(),
	"Config":      theme.SettingsIcon(),
	"Series":      theme.FileVideoIcon(),
}

// navIcon is the sidebar icon of a screen.
func navIcon(spec screenSpec) fyne.Resource {
	if icon, ok := navIcons[spec.title]; ok {
		return icon
	}
	return spec.icon
}
