package store_test

import (
	"context"
	"slices"
	"testing"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

// TestEveryEditBumpsTheVersion checks what the read model's reconcile
// relies on (migration 011): an edit made outside Canale bumps the
// subscriber's version, once, whether it touches the row or its packages;
// and Canale's own edits still bump it exactly once, so the version an
// editor gets back is the one its next save must name.
func TestEveryEditBumpsTheVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := storetest.DSN(t)
	s := storetest.Open(t, dsn)
	basic, sports := mustPackage(t, dsn, "Basic", 30), mustPackage(t, dsn, "Sports", 30)
	sub, err := s.CreateSubscriber(ctx, admin, api.Subscriber{Password: "pw-long-enough", Login: "carol", PackageIDs: []int64{basic}})
	if err != nil {
		t.Fatal(err)
	}
	version := func() int {
		t.Helper()
		var v int
		storetest.QueryRow(t, dsn, `SELECT version FROM subscribers WHERE id = $1`, []any{sub.ID}, &v)
		return v
	}
	next := func(n int) func(int) int { return func(before int) int { return before + n } }
	for _, step := range []struct {
		what string
		sql  []string // each in its own transaction
		want func(before int) int
	}{
		{"an UPDATE by hand", []string{`UPDATE subscribers SET status = 'disabled' WHERE id = $1`}, next(1)},
		{"an UPDATE that sets the version itself", []string{`UPDATE subscribers SET version = 40 WHERE id = $1`},
			func(int) int { return 40 }},
		{"a package added by hand", []string{`INSERT INTO subscriber_packages SELECT $1, id FROM packages WHERE name = 'Sports'`}, next(1)},
		{"every package removed by hand, in one statement", []string{`DELETE FROM subscriber_packages WHERE subscriber_id = $1`}, next(1)},
		{"a package moved by hand, in two transactions", []string{`INSERT INTO subscriber_packages SELECT $1, id FROM packages WHERE name = 'Basic'`,
			`UPDATE subscriber_packages SET package_id = (SELECT id FROM packages WHERE name = 'Sports') WHERE subscriber_id = $1`}, next(2)},
	} {
		before := version()
		for _, sql := range step.sql {
			storetest.Exec(t, dsn, sql, sub.ID)
		}
		got, want := version(), step.want(before)
		if got != want {
			t.Errorf("%s: version %d -> %d, want %d", step.what, before, got, want)
		}
	}

	// Canale's edits, packages included: one bump each, and the version
	// returned is current, so the next save is accepted.
	cur, err := s.FindSubscriberByID(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	name, pkgs := "Carol C", []int64{basic}
	upd, err := s.UpdateSubscriber(ctx, admin, sub.ID, api.SubscriberUpdate{Name: &name, PackageIDs: &pkgs, Version: cur.Version})
	if err != nil {
		t.Fatal(err)
	}
	if upd.Version != cur.Version+1 || version() != upd.Version {
		t.Errorf("update with packages: version %d -> %d (database %d), want %d", cur.Version, upd.Version, version(), cur.Version+1)
	}
	ext, err := s.ExtendSubscriber(ctx, admin, sub.ID, api.ExtendRequest{PackageID: sports})
	if err != nil {
		t.Fatal(err)
	}
	if version() != ext.Version {
		t.Errorf("extend: returned version %d, database %d", ext.Version, version())
	}
	name = "Carol D"
	if _, err := s.UpdateSubscriber(ctx, admin, sub.ID, api.SubscriberUpdate{Name: &name, Version: ext.Version}); err != nil {
		t.Errorf("save after extend under the returned version: %v", err)
	}
	created, err := s.CreateSubscriber(ctx, admin, api.Subscriber{Password: "pw-long-enough", Login: "dave", PackageIDs: []int64{basic, sports}})
	if err != nil {
		t.Fatal(err)
	}
	if created.Version != 1 {
		t.Errorf("created with two packages: version %d, want 1", created.Version)
	}

	all, err := s.SubscriberVersions(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	wantAll := []store.SubscriberVersion{{ID: sub.ID, Version: version()}, {ID: created.ID, Version: 1}}
	if !slices.Equal(all, wantAll) {
		t.Errorf("SubscriberVersions from the start: got %v, want %v", all, wantAll)
	}
	if page, err := s.SubscriberVersions(ctx, sub.ID, 1); err != nil || !slices.Equal(page, wantAll[1:]) {
		t.Errorf("SubscriberVersions after %d: got %v, %v; want %v", sub.ID, page, err, wantAll[1:])
	}
}
