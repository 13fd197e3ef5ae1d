package ui

import (
	"context"
	"testing"

	"canale/server/servertest"
)

// TestAlertsSharedByTheNOC raises two alerts before the app signs in: the
// app lists them (without notifying: they are not new). A colleague
// acknowledging one in their app clears it here; "Acknowledge all" here
// clears the other for everyone.
func TestAlertsSharedByTheNOC(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	sim, _ := runChannels(t, f, servertest.SimStream{Name: "ch1", Alive: true}, servertest.SimStream{Name: "ch2", Alive: true})
	for _, name := range []string{"ch1", "ch2"} {
		sim.UpdateStream(name, func(s *servertest.SimStream) { s.Alive = false })
	}
	servertest.PollNow(t, f.srv)

	f.signInAdmin(t)
	f.waitUI(t, "both alerts listed", func() bool { return f.w.openAlerts() == 2 })
	f.ui(func() {
		if got, want := f.tab(t, "Alerts").Text, "Alerts (2)"; got != want {
			t.Errorf("got tab %q, want %q", got, want)
		}
	})
	f.app.mu.Lock()
	if len(f.app.sent) != 0 {
		t.Errorf("notifications for alerts raised before sign-in: %+v, want none", f.app.sent)
	}
	f.app.mu.Unlock()

	open, err := f.srv.Admin.Alerts(ctx)
	if err != nil || len(open) != 2 {
		t.Fatalf("server's open alerts: %+v, %v", open, err)
	}
	for _, a := range open {
		if a.Subject == "ch1" {
			if err := f.srv.Admin.AcknowledgeAlerts(ctx, []string{a.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.waitUI(t, "ch1's alert gone after a colleague's acknowledgement", func() bool {
		return f.w.openAlerts() == 1 && f.w.alerts.open[0].Subject == "ch2"
	})

	f.tap(t, f.tab(t, "Alerts").Content, "Acknowledge all")
	f.eventually(t, "no open alert left on the server", func() bool {
		open, err := f.srv.Admin.Alerts(ctx)
		return err == nil && len(open) == 0
	})
	f.ui(func() {
		if got, want := f.tab(t, "Alerts").Text, "Alerts"; got != want {
			t.Errorf("after acknowledging all: got tab %q, want %q", got, want)
		}
	})
}
