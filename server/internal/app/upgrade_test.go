package app_test

import (
	"context"
	"testing"

	"canale/server/internal/credential"
	"canale/server/internal/store/storetest"
	"canale/server/internal/testserver"
)

const (
	releaseAdminPassword    = "release-admin-pw"
	releaseResellerPassword = "release-reseller-pw"
)

// releaseSeed returns the seed of the release schema with password hashes
// made now, so the test can sign in.
func releaseSeed(t *testing.T) string {
	t.Helper()
	var hashes [3]string
	for i, pw := range []string{releaseAdminPassword, releaseResellerPassword, "subscriber-pw"} {
		h, err := credential.HashPassword(pw)
		if err != nil {
			t.Fatal(err)
		}
		hashes[i] = h
	}
	return storetest.ReleaseSeedSQL(hashes[0], hashes[1], hashes[2])
}

// TestUpgradeFromReleaseSchema builds the previous release's schema
// (migrations up to 011), fills every table as that release wrote them, runs
// the current migrations and finds every row, and the admin, the reseller
// and every playback token working through the real server.
func TestUpgradeFromReleaseSchema(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.EmptyDSN(t)
	s := storetest.Open(t, dsn)
	if _, err := s.MigrateTo(ctx, storetest.ReleaseMigration); err != nil {
		t.Fatal(err)
	}
	storetest.Exec(t, dsn, releaseSeed(t))
	before, err := s.TableRowCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range before {
		if n == 0 {
			t.Errorf("the release seed leaves %s empty; fill every table", table)
		}
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		t.Fatalf("migrate from the release schema: %v", err)
	}
	if len(applied) == 0 {
		t.Fatal("no migration ran after the release's; the test proves nothing")
	}
	after, err := s.TableRowCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range before {
		if table != "schema_migrations" && after[table] != n {
			t.Errorf("%s after the upgrade: got %d rows, want %d", table, after[table], n)
		}
	}
	srv := testserver.StartBare(t, dsn)
	testserver.CheckReleaseData(t, srv.URL, releaseAdminPassword, releaseResellerPassword)
}
