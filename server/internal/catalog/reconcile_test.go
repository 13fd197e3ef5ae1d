package catalog_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"canale/server/internal/catalog"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// seeded returns a database of n subscribers (storetest.SeedSubscribers:
// every tenth holds the package "Bench") and a catalog loaded from it.
func seeded(t *testing.T, n int, opts catalog.Options) (*catalog.Catalog, string) {
	t.Helper()
	dsn := storetest.DSN(t)
	storetest.SeedSubscribers(t, dsn, n)
	c := catalog.New(storetest.Open(t, dsn), slog.New(slog.DiscardHandler), opts)
	if err := c.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c, dsn
}

// editByHand changes five subscribers with SQL and no notification, the
// way an operator's script would: a token, a deletion, a new subscriber, a
// package added and one taken away. It returns the new subscriber's id.
func editByHand(t *testing.T, dsn string) int64 {
	t.Helper()
	storetest.Exec(t, dsn, `UPDATE subscribers SET token = 'tok-by-hand' WHERE id = 1`)
	storetest.Exec(t, dsn, `DELETE FROM subscribers WHERE id = 2`)
	storetest.Exec(t, dsn, `INSERT INTO subscriber_packages SELECT 3, id FROM packages WHERE name = 'Bench'`)
	storetest.Exec(t, dsn, `DELETE FROM subscriber_packages WHERE subscriber_id = 10`)
	var id int64
	storetest.QueryRow(t, dsn, `INSERT INTO subscribers (login, password_hash, token) VALUES ('byhand', 'x', 'tok-new-by-hand') RETURNING id`, nil, &id)
	return id
}

// editsMissing lists editByHand's changes the model does not hold.
func editsMissing(c *catalog.Catalog, newID int64) []string {
	var missing []string
	if s, ok := c.SubscriberByToken("tok-by-hand"); !ok || s.ID != 1 {
		missing = append(missing, "subscriber 1's token changed by hand")
	}
	if _, ok := c.SubscriberByID(2); ok {
		missing = append(missing, "subscriber 2 deleted by hand")
	}
	if s, ok := c.SubscriberByToken("tok-new-by-hand"); !ok || s.ID != newID {
		missing = append(missing, "the subscriber added by hand")
	}
	if s, _ := c.SubscriberByID(3); len(s.PackageIDs) != 1 {
		missing = append(missing, "the package added by hand to subscriber 3")
	}
	if s, _ := c.SubscriberByID(10); len(s.PackageIDs) != 0 {
		missing = append(missing, "the package removed by hand from subscriber 10")
	}
	return missing
}

// TestReconcileFindsEditsMadeOutsideCanale checks the safety net under the
// change events: edits that sent no notification reach the model by
// reading again just the subscribers whose version differs.
func TestReconcileFindsEditsMadeOutsideCanale(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// More than two steps of a reconcile, with an edit in the last one.
	c, dsn := seeded(t, 12_000, catalog.Options{})
	newID := editByHand(t, dsn)
	storetest.Exec(t, dsn, `UPDATE subscribers SET status = 'banned' WHERE id = 11000`)
	if _, ok := c.SubscriberByToken("tok-by-hand"); ok {
		t.Fatal("the model saw the edit before any reconcile: this test would prove nothing")
	}
	loaded := c.Stats().At
	st, err := c.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Checked != 12_000 || st.Refreshed != 6 || st.Rebuilt {
		t.Errorf("reconcile: got %+v, want 12000 checked, 6 refreshed, no rebuild", st)
	}
	if c.Stats().At != loaded {
		t.Error("reconcile rebuilt the model for five edits")
	}
	if missing := editsMissing(c, newID); len(missing) > 0 {
		t.Errorf("after reconcile the model misses %v", missing)
	}
	if s, _ := c.SubscriberByID(11000); s.Status != catalog.StatusBanned {
		t.Errorf("subscriber 11000 banned by hand: status %q in the model", s.Status)
	}
	if st, err := c.Reconcile(ctx); err != nil || st.Refreshed != 0 || st.Rebuilt {
		t.Errorf("second reconcile: got %+v, %v; want nothing to do", st, err)
	}
}

// TestReconcileRebuildsWhenMuchChanged checks that a change of most
// subscribers is taken by one rebuild, not thousands of single reads.
func TestReconcileRebuildsWhenMuchChanged(t *testing.T) {
	t.Parallel()
	c, dsn := seeded(t, 3000, catalog.Options{})
	storetest.Exec(t, dsn, `UPDATE subscribers SET name = name || ' (renamed)'`)
	st, err := c.Reconcile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !st.Rebuilt || st.Refreshed != 0 || st.Checked != 3000 {
		t.Errorf("reconcile after renaming everyone: got %+v, want a rebuild", st)
	}
	if s, _ := c.SubscriberByID(1); !strings.HasSuffix(s.Name, " (renamed)") {
		t.Errorf("subscriber 1 after the rebuild: name %q", s.Name)
	}
}

// TestRunReconcilesPeriodically checks that Run applies edits made outside
// Canale by itself, every ResyncInterval.
func TestRunReconcilesPeriodically(t *testing.T) {
	t.Parallel()
	c, dsn := seeded(t, 1000, catalog.Options{ResyncInterval: 200 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	newID := editByHand(t, dsn)
	deadline := time.Now().Add(10 * time.Second)
	for missing := editsMissing(c, newID); len(missing) > 0; missing = editsMissing(c, newID) {
		if time.Now().After(deadline) {
			t.Fatalf("within 10 s the model still misses %v; last reconcile: %+v", missing, c.ReconcileStats())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st := c.ReconcileStats(); st.Rebuilt {
		t.Errorf("five edits were taken by a rebuild: %+v", st)
	}
}

// TestBulkChangeReconcilesAtOnce checks that a bulk change (an import
// names no subscriber) reaches the model through a reconcile that does not
// pause between steps: its pause here is an hour, which only the periodic
// safety net may take.
func TestBulkChangeReconcilesAtOnce(t *testing.T) {
	t.Parallel()
	c, dsn := seeded(t, 12_000, catalog.Options{ResyncInterval: time.Hour, ReconcilePause: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	storetest.Exec(t, dsn, `INSERT INTO subscribers (login, password_hash, token) VALUES ('imported', 'x', 'tok-imported')`)
	c.Notify(api.Change{Entity: "subscriber", Op: "import"})
	deadline := time.Now().Add(10 * time.Second)
	for _, ok := c.SubscriberByToken("tok-imported"); !ok; _, ok = c.SubscriberByToken("tok-imported") {
		if time.Now().After(deadline) {
			t.Fatalf("the imported subscriber is not in the model within 10 s; last reconcile: %+v", c.ReconcileStats())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runCatalog runs c until the test ends.
func runCatalog(t *testing.T, c *catalog.Catalog) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitFor polls cond for up to 10 s, then fails with what.
func waitFor(t *testing.T, c *catalog.Catalog, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("within 10 s: %s; last reconcile: %+v", what, c.ReconcileStats())
		}
	}
}

// TestResyncReconcilesInsteadOfRebuilding checks what happens when the
// listener reconnects after a database blink: the edits missed meanwhile
// reach the model through a reconcile, not a rebuild of every subscriber
// on every instance at the moment play checks come back.
func TestResyncReconcilesInsteadOfRebuilding(t *testing.T) {
	t.Parallel()
	c, dsn := seeded(t, 3000, catalog.Options{ResyncInterval: time.Hour, ReconcilePause: time.Hour})
	runCatalog(t, c)
	loaded := c.Stats().At
	newID := editByHand(t, dsn)
	c.Notify(api.Change{Entity: "*", Op: api.OpResync})
	// The reconcile applies the edits, then records its stats: wait for
	// both, or the stats may be read in between.
	waitFor(t, c, "the model takes the edits missed before a resync, and the reconcile is recorded", func() bool {
		return len(editsMissing(c, newID)) == 0 && !c.ReconcileStats().At.IsZero()
	})
	if st := c.ReconcileStats(); st.Rebuilt || st.Refreshed != 5 || c.Stats().At != loaded {
		t.Errorf("a resync after five edits: reconcile %+v, loaded at %v (was %v); want five read again, no rebuild",
			st, c.Stats().At, loaded)
	}
}

// TestResyncCatchesAMissedReset checks the case a version check alone
// would get wrong: while an instance was not listening, the database was
// reset (setup reset truncates and restarts ids) and a new subscriber got
// id 1 and version 1, as the old one had. The old token must stop playing.
func TestResyncCatchesAMissedReset(t *testing.T) {
	t.Parallel()
	c, dsn := seeded(t, 50, catalog.Options{ResyncInterval: time.Hour, ReconcilePause: time.Hour})
	old, ok := c.SubscriberByID(1)
	if !ok || old.Version != 1 {
		t.Fatalf("seeded subscriber 1: %+v, %v; want version 1", old, ok)
	}
	runCatalog(t, c)
	storetest.Exec(t, dsn, `TRUNCATE subscribers RESTART IDENTITY CASCADE`)
	storetest.Exec(t, dsn, `INSERT INTO subscribers (login, password_hash, token) VALUES ('after-reset', 'x', 'tok-after-reset')`)
	c.Notify(api.Change{Entity: "*", Op: api.OpResync})
	waitFor(t, c, "the subscriber created after the reset is in the model, and the reconcile is recorded", func() bool {
		s, ok := c.SubscriberByToken("tok-after-reset")
		return ok && s.ID == 1 && !c.ReconcileStats().At.IsZero()
	})
	if s, ok := c.SubscriberByToken(old.Token); ok {
		t.Errorf("the token of subscriber 1 before the reset still finds %+v", s)
	}
	if n := c.SubscriberCount(); n != 1 {
		t.Errorf("after the reset the model holds %d subscribers, want 1", n)
	}
	if st := c.ReconcileStats(); !st.Rebuilt {
		t.Errorf("reconcile after a missed reset: %+v, want a rebuild", st)
	}
}

// TestBulkChangeDoesNotWaitForAPacedReconcile checks that a bulk change
// arriving while the periodic safety net runs (paced, here by an hour
// between steps) applies at once: the paced reconcile gives way to it.
func TestBulkChangeDoesNotWaitForAPacedReconcile(t *testing.T) {
	t.Parallel()
	c, dsn := seeded(t, 12_000, catalog.Options{ResyncInterval: 50 * time.Millisecond, ReconcilePause: time.Hour})
	runCatalog(t, c)
	time.Sleep(300 * time.Millisecond) // a paced reconcile has started and waits in its first pause
	storetest.Exec(t, dsn, `INSERT INTO subscribers (login, password_hash, token) VALUES ('imported', 'x', 'tok-imported')`)
	c.Notify(api.Change{Entity: "subscriber", Op: "import"})
	waitFor(t, c, "the imported subscriber is in the model", func() bool {
		_, ok := c.SubscriberByToken("tok-imported")
		return ok
	})
}

// TestChangesDroppedFromAFullQueueAreReconciled floods the change queue
// before Run takes any, so an edit's notification is dropped, and checks
// the edit still reaches the model at once, not at the next safety net.
func TestChangesDroppedFromAFullQueueAreReconciled(t *testing.T) {
	t.Parallel()
	c, dsn := seeded(t, 1000, catalog.Options{ResyncInterval: time.Hour, ReconcilePause: time.Hour})
	for range 5000 {
		c.Notify(api.Change{Entity: "channel", ID: "1", Op: "update"})
	}
	storetest.Exec(t, dsn, `UPDATE subscribers SET token = 'tok-after-flood' WHERE id = 1`)
	c.Notify(api.Change{Entity: "subscriber", ID: "1", Op: "update"})
	runCatalog(t, c)
	waitFor(t, c, "the edit whose notification was dropped is in the model", func() bool {
		s, ok := c.SubscriberByToken("tok-after-flood")
		return ok && s.ID == 1
	})
}
