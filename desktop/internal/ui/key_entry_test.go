package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestKeysReachWindowFromField types into a form dialog's field and
// presses the window's keys there, as the driver delivers them to the
// focused widget: F5 and Ctrl+R reload the screen, Ctrl+F reaches the
// screen's search box, ordinary keys stay the field's, and Escape closes
// the dialog.
func TestKeysReachWindowFromField(t *testing.T) {
	counter := &countingScreen{}
	f := setup(t, screenSpec{title: "Counted", icon: theme.ListIcon(), make: func(*Window) screen { return counter }})
	f.signInAdmin(t)
	f.ui(func() {
		f.w.tabs.Select(f.tab(t, "Counted"))
		name := f.w.entry("", "")
		d := newFormDialog(f.w, []formField{{label: "Name", key: "name", widget: name}})
		d.open("Edit", fyne.NewSize(300, 200), func() (saveCall, error) { return nil, nil }, nil)
		f.win.Canvas().Focus(name)
		focused := func() fyne.Focusable { return f.win.Canvas().Focused() }
		test.Type(focused(), "news")
		focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		if name.Text != "new" {
			t.Errorf("field text %q, want the typed and erased %q", name.Text, "new")
		}
		focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5})
		focused().(fyne.Shortcutable).TypedShortcut(shortcutRefresh)
		if counter.resyncs != 2 {
			t.Errorf("F5 and Ctrl+R in a field reloaded %d times, want 2", counter.resyncs)
		}
		focused().(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutSelectAll{})
		if name.SelectedText() != "new" {
			t.Errorf("Ctrl+A selected %q, want the field's text", name.SelectedText())
		}
		focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if top := f.win.Canvas().Overlays().Top(); top != nil {
			t.Error("Escape in a field left the dialog open")
		}

		f.w.tabs.Select(f.tab(t, "Subscribers"))
		subs := screenIn[*subscribersScreen](t, f)
		f.win.Canvas().Focus(subs.form.login)
		focused().(fyne.Shortcutable).TypedShortcut(shortcutSearch)
		if got := focused(); got != subs.search {
			t.Errorf("Ctrl+F in the subscriber's Login field focused %T, want the subscribers' search box", got)
		}

		f.w.tabs.Select(f.tab(t, "Channels"))
		channels := screenIn[*channelsScreen](t, f)
		channels.onAdd()
		ed := channels.editor
		f.win.Canvas().Focus(ed.name)
		focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if top := f.win.Canvas().Overlays().Top(); top != nil {
			t.Error("Escape in the channel editor's field left it open")
		}
	})
}
