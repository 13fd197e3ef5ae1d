package ui

import (
	"strings"
	"testing"
)

// TestSubscriberResetTuner: the form shows the tuner URL to paste into Plex
// or Jellyfin, and "Reset tuner" replaces it without touching the token.
func TestSubscriberResetTuner(t *testing.T) {
	f := setup(t)
	sub := createSubscriber(t, f.srv.Admin, "bob")
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	f.ui(func() {
		s.form.show(sub)
		if s.form.tuner.Text == "" || s.form.tuner.Text != sub.TunerURL || !strings.Contains(sub.TunerURL, "/hdhr/") {
			t.Errorf("shown tuner %q, want the server's %q", s.form.tuner.Text, sub.TunerURL)
		}
	})
	f.tap(t, s.form.ui, "Reset tuner")
	f.tapDialog(t, "Reset tuner")
	got, err := f.srv.Admin.Subscriber(ctx(t), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.TunerURL == sub.TunerURL || got.Token != sub.Token {
		t.Fatalf("after reset: tuner %q (was %q), token %q (was %q)", got.TunerURL, sub.TunerURL, got.Token, sub.Token)
	}
	f.ui(func() {
		if s.form.tuner.Text != got.TunerURL {
			t.Errorf("shown tuner %q, want the new %q", s.form.tuner.Text, got.TunerURL)
		}
	})
}
