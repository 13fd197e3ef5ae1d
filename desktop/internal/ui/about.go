package ui

import (
	"canale/shared/buildinfo"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// SetBuild names the app's build for the About dialog.
func (w *Window) SetBuild(b buildinfo.Info) { w.build = b }

// newAboutButton opens the About dialog; NOC staff read it for bug reports
// and to check that an upgrade reached their workstation.
func newAboutButton(w *Window, text string) *widget.Button {
	return &widget.Button{Text: text, Icon: theme.InfoIcon(), Importance: widget.LowImportance, OnTapped: w.showAbout}
}

// showAbout shows the app's version and commit and, once signed in, the
// server's version, so a mismatch between the two is easy to spot.
func (w *Window) showAbout() {
	rows := []fyne.CanvasObject{
		&widget.Label{Text: "Canale Admin", TextStyle: fyne.TextStyle{Bold: true}},
		&widget.Label{Text: "Version " + w.build.Version, Selectable: true},
		&widget.Label{Text: "Commit " + w.build.Commit, Selectable: true},
	}
	if w.signedIn {
		rows = append(rows, &widget.Label{Text: "Server " + w.sess.API().BaseURL() + ": Canale " + w.sess.Me().ServerVersion})
	}
	dialog.NewCustom("About Canale Admin", "Close", container.NewVBox(rows...), w.win).Show()
}
