package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// TestConfigBackUpNow taps "Back up now" on the Config screen and follows
// the backup through its events to the last-backup line, showing the
// schedule from the settings and saving a new one on the way.
func TestConfigBackUpNow(t *testing.T) {
	f := setup(t)
	f.signInAdmin(t)
	s := screenOf[*configScreen](t, f)
	f.waitUI(t, "the schedule from the settings", func() bool {
		return s.backups.interval.Text == "24" && s.backups.keep.Text == "7"
	})
	var ui fyne.CanvasObject
	f.ui(func() {
		ui = s.buildUI() // under the UI lock: building lays out text, as replies landing meanwhile do
		s.backups.interval.SetText("12")
		s.backups.keep.SetText("3")
	})
	f.tap(t, ui, "Save backup schedule")
	if st, err := f.srv.Admin.Settings(ctx(t)); err != nil || st.BackupIntervalHours != 12 || st.BackupKeep != 3 {
		t.Errorf("settings after saving the schedule: got %+v, %v; want 12 hours, 3 files", st, err)
	}
	f.tap(t, ui, "Back up now")
	f.waitUI(t, "the last backup to show ok", func() bool {
		return strings.Contains(s.backups.last.Text, ", ok (manual, ") && strings.Contains(s.backups.last.Text, " KB")
	})
	f.ui(func() {
		if !strings.HasPrefix(s.backups.outcome.Text, "Backup written: ") || s.backups.progress.Visible() {
			t.Errorf("outcome %q, progress shown %v; want the file written and the bar hidden",
				s.backups.outcome.Text, s.backups.progress.Visible())
		}
	})
}
