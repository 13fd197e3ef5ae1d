package ui

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// callTimeout bounds one API call started by a screen.
const callTimeout = 30 * time.Second

// callCtx is the context of one API call.
func callCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), callTimeout)
}

// fetch runs work against the session's API client in the background, then
// the UI update it returns; signed out (no client), it runs offline instead.
func (w *Window) fetch(work func(ctx context.Context, c *client.Client) (update func()), offline func()) {
	w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := w.sess.API()
		if c == nil {
			return offline
		}
		return work(ctx, c)
	})
}

// toolbar lays out buttons and other controls in a row, leaving out the nil
// buttons editButton returns for read-only roles (a nil *widget.Button in a
// container would panic).
func toolbar(objs ...fyne.CanvasObject) *fyne.Container {
	return container.NewHBox(present(objs)...)
}

// present is objs without the nil ones, typed nil buttons included.
func present(objs []fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, o := range objs {
		if b, ok := o.(*widget.Button); (ok && b == nil) || o == nil {
			continue
		}
		out = append(out, o)
	}
	return out
}

// errorText explains a failed call; a conflict says so in capitals, since
// it means someone else changed or still uses the record.
func errorText(err error) string {
	if api.ErrorCode(err) == api.CodeConflict {
		return "CONFLICT: " + api.ErrorMessage(err)
	}
	return message(err)
}

// statusLabel is a wrapped label for a form's outcome.
func statusLabel() *widget.Label {
	return &widget.Label{Wrapping: fyne.TextWrapWord}
}

// showOutcome sets l to err's text in red, or to ok when err is nil.
func showOutcome(l *widget.Label, ok string, err error) {
	if err != nil {
		l.Importance = widget.DangerImportance
		l.SetText(errorText(err))
		return
	}
	l.Importance = widget.SuccessImportance
	l.SetText(ok)
}

// confirm asks before a change that cannot be undone.
func (w *Window) confirm(title, question, action string, onYes func()) {
	d := dialog.NewCustomConfirm(title, action, "Cancel",
		&widget.Label{Text: question, Wrapping: fyne.TextWrapWord}, func(ok bool) {
			if ok {
				onYes()
			}
		}, w.win)
	d.Resize(fyne.NewSize(420, 200))
	d.Show()
}

// call runs one API call in the background, as fetch does, and hands its
// outcome to done on the UI thread.
func (w *Window) call(fn func(context.Context, *client.Client) error, done func(error)) {
	w.fetch(func(ctx context.Context, c *client.Client) func() {
		err := fn(ctx, c)
		return func() { done(err) }
	}, func() { done(errSignedOut) })
}

// errSignedOut is the outcome of a call started after the session ended.
var errSignedOut = errors.New("not signed in")

// confirmDelete asks before deleting, then runs del as call does.
func (w *Window) confirmDelete(title, question string, del func(context.Context, *client.Client) error, done func(error)) {
	w.confirm(title, question, "Delete", func() { w.call(del, done) })
}

// setEnabled enables or disables buttons, skipping the nil ones editButton
// returns for read-only roles.
func setEnabled(on bool, buttons ...*widget.Button) {
	for _, b := range buttons {
		switch {
		case b == nil:
		case on:
			b.Enable()
		default:
			b.Disable()
		}
	}
}

// copyRow shows a value that people paste elsewhere, with a copy button.
func (w *Window) copyRow(value *widget.Label) fyne.CanvasObject {
	value.Selectable = true
	value.Wrapping = fyne.TextWrapBreak
	cp := &widget.Button{Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance,
		OnTapped: func() { w.app.Clipboard().SetContent(value.Text) }}
	return container.NewBorder(nil, nil, nil, cp, value)
}

// lines splits a multi-line entry into its non-empty trimmed lines.
func lines(s string) []string {
	out := []string{}
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// formatTime shows a time in local time, or "—" for none.
func formatTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// textColumn is one column of a read-only table of T.
type textColumn[T any] struct {
	title string
	width float32
	value func(T) string
}

// changeOf returns the catalog change an event carries.
func changeOf(e api.Event) (api.Change, bool) {
	var ch api.Change
	if e.Type != api.EventChange || json.Unmarshal(e.Data, &ch) != nil {
		return ch, false
	}
	return ch, true
}

// changed reports whether e is a change of one of entities, or of every
// entity at once (api.EntityAll: a reset or resync), so a screen reloads
// only for what it shows.
func changed(e api.Event, entities ...api.Entity) bool {
	ch, ok := changeOf(e)
	return ok && (ch.Entity == api.EntityAll || slices.Contains(entities, ch.Entity))
}

// isStale reports whether err refused a change made to an old version: the
// record changed since it was read.
func isStale(err error) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Code == api.CodeConflict && e.Fields["version"] == "stale"
}
