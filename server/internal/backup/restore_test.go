package backup_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"canale/server/internal/backup"
	"canale/server/internal/store/storetest"
)

// TestRestoreMigratesAnOlderDumpForward dumps a database of the previous
// release's schema (migration 011) and restores it into a database that has
// no schema at all, as on a new machine: every row but the sign-in sessions
// comes back and the migrations since the release run.
func TestRestoreMigratesAnOlderDumpForward(t *testing.T) {
	ctx := context.Background()
	oldDSN := storetest.EmptyDSN(t)
	old := storetest.Open(t, oldDSN)
	if _, err := old.MigrateTo(ctx, storetest.ReleaseMigration); err != nil {
		t.Fatal(err)
	}
	storetest.Exec(t, oldDSN, storetest.ReleaseSeedSQL("x", "x", "x"))
	want, err := old.TableRowCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "release.dump")
	if _, err := backup.Dump(ctx, old, file, nil); err != nil {
		t.Fatal(err)
	}

	fresh := storetest.Open(t, storetest.EmptyDSN(t))
	applied, err := backup.Restore(ctx, fresh, file, backup.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(applied, "018_backups.sql") {
		t.Errorf("migrations run after the restore: got %v, want those since %s", applied, storetest.ReleaseMigration)
	}
	if pending, err := fresh.PendingMigrations(ctx); err != nil || len(pending) > 0 {
		t.Errorf("pending after the restore: %v, %v", pending, err)
	}
	got, err := fresh.TableRowCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"admin_tokens", "reseller_tokens", "portal_sessions"} {
		if want[table] == 0 {
			t.Fatalf("the release seed has no %s row, so the restore's emptying of it is untested", table)
		}
		want[table] = 0
	}
	for table, n := range want {
		if table != "schema_migrations" && got[table] != n {
			t.Errorf("%s: got %d rows, want %d", table, got[table], n)
		}
	}
}
