package ui

import (
	"testing"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestSubscriberPackageTuners: the form lists a tuner per package the
// subscriber holds, by package name, with the URL the server answered;
// each row's copy button puts that package's URL on the clipboard.
func TestSubscriberPackageTuners(t *testing.T) {
	f := setup(t)
	var pkgs []api.Package
	for _, name := range []string{"Sports", "News"} {
		p, err := f.srv.Admin.CreatePackage(ctx(t), api.Package{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	sub := createSubscriber(t, f.srv.Admin, "carol", pkgs[0].ID, pkgs[1].ID)
	if len(sub.Tuners) != 3 {
		t.Fatalf("the server answered tuners %+v, want the whole one and two packages'", sub.Tuners)
	}
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	f.ui(func() {
		s.form.show(sub)
		rows := s.form.packageTuners.Objects
		if len(rows) != 2 {
			t.Fatalf("shown %d package tuners, want 2", len(rows))
		}
		for i, row := range rows {
			want := sub.Tuners[i+1]
			texts, copyButton := rowParts(row)
			if len(texts) != 2 || texts[0] != want.URL || texts[1] != pkgs[i].Name || copyButton == nil {
				t.Errorf("row %d shows %q (copy button %v), want %s's URL %q", i, texts, copyButton != nil, pkgs[i].Name, want.URL)
				continue
			}
			test.Tap(copyButton)
			if got := f.app.Clipboard().Content(); got != want.URL {
				t.Errorf("copied %q from %s's row, want %q", got, pkgs[i].Name, want.URL)
			}
		}
	})
}

// rowParts are the label texts of a package tuner row, URL first, and its
// copy button.
func rowParts(row fyne.CanvasObject) (texts []string, copyButton *widget.Button) {
	for _, o := range test.LaidOutObjects(row) {
		switch w := o.(type) {
		case *widget.Label:
			texts = append(texts, w.Text)
		case *widget.Button:
			copyButton = w
		}
	}
	return texts, copyButton
}
