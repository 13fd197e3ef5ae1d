package ui

import (
	"strings"
	"testing"

	"canale/server/servertest"
	"canale/shared/buildinfo"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// dialogText is the text of every label in the dialog on top.
func (f *fixture) dialogText(t *testing.T) string {
	t.Helper()
	var texts []string
	f.ui(func() {
		top := f.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no dialog open")
		}
		for _, obj := range test.LaidOutObjects(top) {
			if l, ok := obj.(*widget.Label); ok {
				texts = append(texts, l.Text)
			}
		}
	})
	return strings.Join(texts, "\n")
}

func TestAboutShowsBuildAndServer(t *testing.T) {
	f := setup(t)
	f.w.SetBuild(buildinfo.Info{Version: "0.2.0+git20261207.3.abc1234", Commit: "abc1234"})
	f.tapOn(t, f.w.connect, "About Canale Admin")
	got := f.dialogText(t)
	for _, want := range []string{"Version 0.2.0+git20261207.3.abc1234", "Commit abc1234"} {
		if !strings.Contains(got, want) {
			t.Errorf("About before sign-in: got %q, want it to contain %q", got, want)
		}
	}
	if strings.Contains(got, "Server") {
		t.Errorf("About before sign-in: got %q, want no server line", got)
	}
	f.tapDialog(t, "Close")

	f.signIn(t, "admin", servertest.AdminPassword)
	var bar fyne.CanvasObject
	f.ui(func() { bar = f.w.status.buildUI() })
	f.tap(t, bar, "About")
	if got, want := f.dialogText(t), "Server "+f.srv.URL+": Canale "; !strings.Contains(got, want) {
		t.Errorf("About after sign-in: got %q, want it to contain %q", got, want)
	}
}
