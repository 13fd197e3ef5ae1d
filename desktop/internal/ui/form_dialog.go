package ui

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// formField is one field of a formDialog. Key is the name the API gives
// the field in a validation error (api.Error.Fields): its errors, and those
// of its parts ("steps[0].role" for "steps"), are shown under it.
type formField struct {
	label, key, hint string
	widget           fyne.CanvasObject
}

// saveCall is the API call a form makes once its fields read well.
type saveCall func(ctx context.Context, c *client.Client) error

// fieldForm lays out fields with each one's validation error under it and
// the errors that name no field shown below them: the one way the app
// shows why a save was refused, in dialogs and in the screens' side panels.
type fieldForm struct {
	fields  []formField
	errs    map[string]*widget.Label // by field key
	errText *widget.Label            // errors that name no field shown here
}

func newFieldForm(fields []formField) *fieldForm {
	f := &fieldForm{fields: fields, errs: map[string]*widget.Label{},
		errText: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}}
	for _, fd := range fields {
		if fd.key != "" {
			l := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
			l.Hide()
			f.errs[fd.key] = l
		}
	}
	return f
}

// form lays the fields out, each with its error label under it.
func (f *fieldForm) form() *widget.Form {
	form := &widget.Form{}
	for _, fd := range f.fields {
		o := fd.widget
		if l, ok := f.errs[fd.key]; ok {
			o = container.NewVBox(fd.widget, l)
		}
		form.Items = append(form.Items, &widget.FormItem{Text: fd.label, Widget: o, HintText: fd.hint})
	}
	return form
}

// formDialog is the one create/edit dialog of the app: its fields in a
// form that scrolls, so every field stays reachable in a small window;
// errors shown as fieldForm shows them; Save runs the call in the
// background (callCtx bounds it) and closes the dialog when it succeeds.
// Editors embed it and supply their fields.
type formDialog struct {
	*fieldForm
	w      *Window
	save   *widget.Button
	cancel *widget.Button
	d      dialog.Dialog
	read   func() (saveCall, error)
	done   func()
}

func newFormDialog(w *Window, fields []formField) *formDialog {
	f := &formDialog{fieldForm: newFieldForm(fields), w: w}
	f.save = &widget.Button{Text: "Save", Importance: widget.HighImportance, OnTapped: f.onSave}
	f.cancel = &widget.Button{Text: "Cancel", OnTapped: f.close}
	return f
}

// buildUI is the scrolling form above its errors and buttons.
func (f *formDialog) buildUI() fyne.CanvasObject {
	return container.NewBorder(nil, container.NewVBox(f.errText, container.NewCenter(container.NewHBox(f.cancel, f.save))),
		nil, nil, container.NewVScroll(f.form()))
}

// open shows the dialog at size (it grows no larger than the window):
// Save calls read on the UI goroutine, then runs the call it returns in the
// background, and on success closes and calls done.
func (f *formDialog) open(title string, size fyne.Size, read func() (saveCall, error), done func()) {
	f.read, f.done = read, done
	f.d = dialog.NewCustomWithoutButtons(title, f.buildUI(), f.w.win)
	if win := f.w.win.Canvas().Size(); win.Width > 0 && win.Height > 0 {
		size = fyne.NewSize(min(size.Width, win.Width-40), min(size.Height, win.Height-40))
	}
	f.d.Resize(size)
	f.d.Show()
}

func (f *formDialog) close() {
	if f.d != nil {
		f.d.Hide()
	}
}

func (f *formDialog) onSave() {
	f.setError(nil)
	call, err := f.read()
	if err != nil {
		f.setError(err)
		return
	}
	f.save.Disable()
	f.w.call(call, func(err error) {
		f.save.Enable()
		if err != nil {
			f.setError(err)
			return
		}
		f.close()
		if f.done != nil {
			f.done()
		}
	})
}

// setError shows err: each field it names under that field, the rest
// below the fields; nil clears every error.
func (f *fieldForm) setError(err error) {
	f.errText.SetText("")
	for _, l := range f.errs {
		l.SetText("")
		l.Hide()
	}
	if err == nil {
		return
	}
	var ae *api.Error
	if !errors.As(err, &ae) || len(ae.Fields) == 0 {
		f.errText.SetText(errorText(err))
		return
	}
	var rest []string
	for _, name := range slices.Sorted(maps.Keys(ae.Fields)) {
		if l := f.errs[fieldKey(name, f.errs)]; l != nil {
			l.SetText(strings.TrimSpace(l.Text + "\n" + ae.Fields[name]))
			l.Show()
			continue
		}
		rest = append(rest, name+": "+ae.Fields[name])
	}
	f.errText.SetText(strings.Join(rest, "\n"))
}

// fieldError is the error shown under the field key ("" for none).
func (f *fieldForm) fieldError(key string) string {
	if l := f.errs[key]; l != nil && l.Visible() {
		return l.Text
	}
	return ""
}

// fieldKey is the form's key that shows an API field's error: the field
// itself, or the field it is a part of ("steps" for "steps[0].role").
func fieldKey(name string, keys map[string]*widget.Label) string {
	for {
		if _, ok := keys[name]; ok {
			return name
		}
		i := strings.LastIndexAny(name, ".[")
		if i <= 0 {
			return ""
		}
		name = name[:i]
	}
}

// invalidField is a validation error the form found before asking the
// server, shown like the server's: next to the field.
func invalidField(key, reason string) error {
	return &api.Error{Code: api.CodeInvalid, Message: "validation failed", Fields: map[string]string{key: reason}}
}

// intField reads a whole number typed into the field key; empty is 0.
func intField(key, s string) (int, error) {
	n, err := atoiField(key, s)
	if err != nil {
		return 0, invalidField(key, "must be a whole number")
	}
	return n, nil
}

// isInvalid reports whether err names the fields it refused, so a form
// shows it next to them.
func isInvalid(err error) bool {
	var e *api.Error
	return errors.As(err, &e) && len(e.Fields) > 0
}
