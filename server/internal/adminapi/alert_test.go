package adminapi_test

import (
	"context"
	"testing"
	"time"

	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestAlertsAcrossInstances runs two instances on one database, both
// polling a simulated streamer. A stream going down raises an alert on
// each, listed by GET /alerts for an app that connects later; an operator
// acknowledging it on one instance clears it on both, and the audit log
// says who did.
func TestAlertsAcrossInstances(t *testing.T) {
	a := testserver.Start(t)
	ctx := context.Background()
	sim := seedFleet(t, a)
	b := a.Another(t)
	both := []*testserver.Server{a, b}
	for _, in := range both {
		if err := in.App.Fleet().Reload(ctx); err != nil {
			t.Fatal(err)
		}
		in.App.Fleet().PollNow(ctx)
	}
	sim.UpdateStream("ch1", func(s *simulator.Stream) { s.Alive = false })
	for _, in := range both {
		in.App.Fleet().PollNow(ctx)
		alerts, err := in.Admin.Alerts(ctx)
		if err != nil || len(alerts) != 1 || alerts[0].Kind != api.EventStreamDown || alerts[0].Subject != "ch1" {
			t.Fatalf("%s: alerts %+v, %v; want one stream_down about ch1", in.URL, alerts, err)
		}
	}

	testserver.CreateAdmin(t, a.Store, "noc", api.RoleOperator, "operator-password")
	op := a.SignIn(t, "noc", "operator-password")
	if err := op.AcknowledgeAlerts(ctx, nil); api.ErrorCode(err) != api.CodeInvalid {
		t.Errorf("acknowledge nothing: %v, want invalid", err)
	}
	open, _ := a.Admin.Alerts(ctx)
	if err := op.AcknowledgeAlerts(ctx, []string{open[0].ID}); err != nil {
		t.Fatalf("operator acknowledges: %v", err)
	}
	if alerts, err := a.Admin.Alerts(ctx); err != nil || len(alerts) != 0 {
		t.Errorf("instance a right after the acknowledgement: %+v, %v; want none", alerts, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		alerts, err := b.Admin.Alerts(ctx)
		if err == nil && len(alerts) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance b still lists %+v (%v) 10 s after the acknowledgement on a", alerts, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	auditPage, err := a.Store.FindAudit(ctx, api.AuditFilter{Entity: api.EntityAlert}, api.ListParams{})
	audit := auditPage.Items
	if err != nil || len(audit) != 1 || audit[0].Action != "acknowledge" || audit[0].ActorLogin != "noc" {
		t.Errorf("audit: %+v, %v; want one acknowledge by noc", audit, err)
	}

	// The same trouble again is a new alert, not covered by the old acknowledgement.
	sim.UpdateStream("ch1", func(s *simulator.Stream) { s.Alive = true })
	a.App.Fleet().PollNow(ctx)
	sim.UpdateStream("ch1", func(s *simulator.Stream) { s.Alive = false })
	a.App.Fleet().PollNow(ctx)
	alerts, err := a.Admin.Alerts(ctx)
	if err != nil || len(alerts) != 2 || alerts[0].Kind != api.EventStreamDown || alerts[1].Kind != api.EventStreamUp {
		t.Errorf("after recovery and a new outage: %+v, %v; want stream_down then stream_up, newest first", alerts, err)
	}
}
