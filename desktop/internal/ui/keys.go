package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// windowTitle is the window's title before sign-in; after it, the screen
// shown follows it, so a task bar and a screenshot name the screen.
const windowTitle = "Canale NOC"

// The keyboard shortcuts of the signed-in window. Ctrl is Cmd on macOS
// (KeyModifierShortcutDefault). F5 and Escape have no modifier, which Fyne
// does not treat as shortcuts; they are typed keys, handled in onKey.
var (
	shortcutSearch  = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutRefresh = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutNext    = &desktop.CustomShortcut{KeyName: fyne.KeyPageDown, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutPrev    = &desktop.CustomShortcut{KeyName: fyne.KeyPageUp, Modifier: fyne.KeyModifierShortcutDefault}
)

// addShortcuts binds the shortcuts to the signed-in screens.
func (w *Window) addShortcuts() {
	c := w.win.Canvas()
	for _, s := range w.shortcuts() {
		c.AddShortcut(s.key, func(fyne.Shortcut) { s.run() })
	}
	c.SetOnTypedKey(w.onKey)
}

// windowShortcut is one shortcut of the signed-in window and what it does.
type windowShortcut struct {
	key fyne.Shortcut
	run func()
}

// shortcuts lists the window's shortcuts: bound to the canvas for when no
// widget has the focus, and run by keyEntry for when a field has it.
func (w *Window) shortcuts() []windowShortcut {
	return []windowShortcut{
		{shortcutSearch, w.focusSearch},
		{shortcutRefresh, w.refreshScreen},
		{shortcutNext, func() { w.stepScreen(1) }},
		{shortcutPrev, func() { w.stepScreen(-1) }},
	}
}

// runShortcut runs the window shortcut s names, if any, while signed in
// (when the shortcuts are bound), and reports whether it did.
func (w *Window) runShortcut(s fyne.Shortcut) bool {
	if !w.signedIn {
		return false
	}
	for _, ws := range w.shortcuts() {
		if ws.key.ShortcutName() == s.ShortcutName() {
			ws.run()
			return true
		}
	}
	return false
}

// removeShortcuts unbinds them when the connect screen comes back, where
// they would reach screens that are gone.
func (w *Window) removeShortcuts() {
	c := w.win.Canvas()
	for _, s := range w.shortcuts() {
		c.RemoveShortcut(s.key)
	}
	c.SetOnTypedKey(nil)
}

// onKey takes the keys typed while no widget has the focus: Escape closes
// the dialog on top, F5 reloads the screen shown.
func (w *Window) onKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyEscape:
		w.closeTopDialog()
	case fyne.KeyF5:
		w.refreshScreen()
	}
}

// dismissLabels are the texts of the buttons that close a dialog without
// doing anything: Fyne's own ("Cancel", "No", "OK" of an information) and
// the editors'.
var dismissLabels = []string{"Cancel", "Close", "No", "Dismiss", "OK"}

// closeTopDialog closes the dialog on top by tapping its dismiss button,
// so the dialog's own close path (and callback) runs; a pop-up without one
// is hidden.
func (w *Window) closeTopDialog() {
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		return
	}
	objs := walk(top)
	for _, label := range dismissLabels { // in order: "OK" only where nothing else closes
		for _, o := range objs {
			if b, ok := o.(*widget.Button); ok && b.Text == label && !b.Disabled() && b.OnTapped != nil {
				b.OnTapped()
				return
			}
		}
	}
	top.Hide() // a pop-up removes itself from the overlays
}

// focusSearch puts the cursor in the shown screen's first text field, its
// search or filter box on every list screen.
func (w *Window) focusSearch() {
	if w.tabs == nil || w.tabs.Selected() == nil {
		return
	}
	for _, o := range walk(w.tabs.Selected().Content) {
		if e, ok := o.(*widget.Entry); ok && e.Visible() && !e.Disabled() {
			w.win.Canvas().Focus(e)
			return
		}
	}
}

// refreshScreen reloads the shown screen, as after a reconnect.
func (w *Window) refreshScreen() {
	if w.tabs == nil {
		return
	}
	i := w.tabs.current
	if i < 0 || i >= len(w.screens) {
		return
	}
	if r, ok := w.screens[i].(resyncer); ok {
		r.resync()
	}
}

// stepScreen shows the next (d=1) or previous (d=-1) screen of the list.
func (w *Window) stepScreen(d int) {
	if w.tabs != nil {
		w.tabs.step(d)
	}
}

// walk lists o and what is inside it, depth first, in the order Tab visits
// them; hidden branches are left out. It opens containers and the stock
// widgets that hold content in public fields (pop-ups, scrolls, splits,
// cards): a widget's other parts are private to its renderer.
func walk(o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	out := []fyne.CanvasObject{o}
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			out = append(out, walk(c)...)
		}
	case *widget.PopUp:
		out = append(out, walk(v.Content)...)
	case *container.Scroll:
		out = append(out, walk(v.Content)...)
	case *container.Split:
		out = append(out, walk(v.Leading)...)
		out = append(out, walk(v.Trailing)...)
	case *widget.Card:
		out = append(out, walk(v.Content)...)
	}
	return out
}
