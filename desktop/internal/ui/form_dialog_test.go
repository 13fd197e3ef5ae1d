package ui

import (
	"strings"
	"testing"

	"canale/desktop/internal/session"
	"canale/server/servertest"

	"fyne.io/fyne/v2/test"
)

// TestEditorShowsFieldError saves a channel the server refuses for its
// name and missing title, and one whose number does not read: each error
// appears under the field it names, the dialog stays open, and a good save
// closes it.
func TestEditorShowsFieldError(t *testing.T) {
	f := setup(t)
	f.signIn(t, "admin", servertest.AdminPassword)
	f.waitState(t, session.StateConnected)
	s := screenOf[*channelsScreen](t, f)
	var ed *channelEditor
	f.ui(func() {
		s.onAdd()
		ed = s.editor
		test.Type(ed.name, "bad name!")
		test.Type(ed.sources, "udp://239.1.1.1:1234")
		test.Tap(ed.save)
	})
	f.eventually(t, "the name error under Name", func() bool { return ed.fieldError("name") != "" })
	f.ui(func() {
		if got := ed.fieldError("name"); !strings.Contains(got, "characters") {
			t.Errorf("error under Name: %q, want the server's reason", got)
		}
		if got := ed.fieldError("title"); got != "required" {
			t.Errorf("error under Title: %q, want required", got)
		}
		if ed.errText.Text != "" || ed.fieldError("sources") != "" {
			t.Errorf("errors elsewhere: general %q, sources %q; want only under Name and Title", ed.errText.Text, ed.fieldError("sources"))
		}
		if s.editor != ed {
			t.Error("the editor closed on a refused save")
		}
		ed.name.SetText("news9")
		ed.title.SetText("News 9")
		ed.number.SetText("nine")
		test.Tap(ed.save)
		if got := ed.fieldError("number"); got != "must be a whole number" || ed.fieldError("name") != "" {
			t.Errorf("number error %q, name error %q; want only the number's", got, ed.fieldError("name"))
		}
		ed.number.SetText("9")
		test.Tap(ed.save)
	})
	f.eventually(t, "the saved channel to close the editor", func() bool { return s.editor == nil })
}
