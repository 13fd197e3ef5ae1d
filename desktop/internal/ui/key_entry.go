package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// keyEntry is the text field of the app's forms. Fyne hands every key to
// the focused widget, and a plain Entry swallows Escape, F5 and the
// window's Ctrl shortcuts, so with the cursor in a field Escape would not
// close the dialog and Ctrl+F / Ctrl+R / F5 would do nothing. keyEntry
// passes those to the window and keeps every other key for itself.
type keyEntry struct {
	widget.Entry
	w *Window
}

// entry is a one-line field showing text, with placeholder while empty.
func (w *Window) entry(text, placeholder string) *keyEntry {
	e := &keyEntry{Entry: widget.Entry{Text: text, PlaceHolder: placeholder, Wrapping: fyne.TextWrap(fyne.TextTruncateClip)}, w: w}
	e.ExtendBaseWidget(e)
	return e
}

// multiLineEntry is a field of several lines that wraps at words.
func (w *Window) multiLineEntry(placeholder string) *keyEntry {
	e := &keyEntry{Entry: widget.Entry{MultiLine: true, Wrapping: fyne.TextWrapWord, PlaceHolder: placeholder}, w: w}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey gives Escape and F5 to the window (close the dialog on top,
// reload the screen) and the rest to the field.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if e.w != nil && (k.Name == fyne.KeyEscape || k.Name == fyne.KeyF5) {
		e.w.onKey(k)
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut runs the window's shortcuts (Ctrl+F, Ctrl+R, Ctrl+Page
// Up/Down); copy, paste and the other editing shortcuts stay the field's.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if e.w != nil && e.w.runShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}
