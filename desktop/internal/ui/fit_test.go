package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// TestScreensFitLaptop shows every screen in a 1280×800 window and checks
// that none is wider than the room beside the sidebar, so none needs the
// sideways scroll that cut the Subscribers form's right edge off.
func TestScreensFitLaptop(t *testing.T) {
	f := setup(t)
	f.signInAdmin(t)
	f.ui(func() {
		f.win.Resize(fyne.NewSize(1280, 800))
		for _, it := range f.w.tabs.Items {
			f.w.tabs.Select(it)
			room := f.w.tabs.view(it).Size().Width
			if room < 900 {
				t.Fatalf("%s: %v px beside the sidebar at 1280 px; want the most of the window", it.Text, room)
			}
			if need := it.Content.MinSize().Width; need > room {
				t.Errorf("%s needs %v px, %v px are beside the sidebar at 1280×800", it.Text, need, room)
			}
		}
	})
}
