package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestDevicePanelAddsLocksAndRemovesABox: in the subscriber form, staff add
// a MAG box by MAC, lock it, reset its lock and remove it, each on the
// server.
func TestDevicePanelAddsLocksAndRemovesABox(t *testing.T) {
	f := setup(t)
	sub := createSubscriber(t, f.srv.Admin, "alice")
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	f.ui(func() { s.form.show(sub) })
	f.w.pending.Wait()
	p := s.form.devices
	var o fyne.CanvasObject
	f.ui(func() {
		o = p.buildUI()
		test.Type(p.mac, "00-1a-79-12-34-56")
	})
	f.tap(t, o, "Add device")
	f.waitUI(t, "the device in the list", func() bool { return len(p.devices) == 1 })
	f.ui(func() {
		if p.devices[0].MAC != "00:1A:79:12:34:56" {
			t.Errorf("listed %+v", p.devices[0])
		}
		p.table.Select(widget.TableCellID{Row: 0, Col: 0})
	})
	f.tap(t, o, "Lock")
	f.waitUI(t, "the device locked", func() bool { return len(p.devices) == 1 && p.devices[0].Locked })
	got, err := f.srv.Admin.Devices(ctx(t), sub.ID)
	if err != nil || len(got) != 1 || !got[0].Locked {
		t.Fatalf("on the server: %+v, %v; want one locked device", got, err)
	}
	f.ui(func() { p.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
	f.tap(t, o, "Reset lock")
	var outcome string
	f.ui(func() { outcome = p.outcome.Text })
	if outcome != "Lock reset: the box's next boot captures its ids again." {
		t.Fatalf("reset lock: %q", outcome)
	}
	f.ui(func() { p.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
	f.tap(t, o, "Remove device")
	f.tapDialog(t, "Delete")
	f.waitUI(t, "the list empty", func() bool { return len(p.devices) == 0 })
	if got, err := f.srv.Admin.Devices(ctx(t), sub.ID); err != nil || len(got) != 0 {
		t.Fatalf("on the server after remove: %+v, %v", got, err)
	}
}
