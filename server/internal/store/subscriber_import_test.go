package store_test

import (
	"context"
	"fmt"
	"testing"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"

	"github.com/google/go-cmp/cmp"
)

var importer = api.Actor{Kind: api.KindAdmin, ID: 1, Login: "admin"}

// importRows returns n good rows, lines 1..n.
func importRows(n int) []store.ImportRow {
	rows := make([]store.ImportRow, n)
	for i := range rows {
		rows[i] = store.ImportRow{Line: i + 1, Login: fmt.Sprintf("user%06d", i+1), PasswordHash: "x", Status: "active"}
	}
	return rows
}

func countRows(t *testing.T, dsn, sql string) int {
	t.Helper()
	var n int
	storetest.QueryRow(t, dsn, sql, nil, &n)
	return n
}

// TestImportFailingLateLeavesNothing imports 100,000 rows whose 90,000th
// breaks a constraint only the database checks: the import is written in
// chunks, and the chunks before that row must go with it, audit and all.
func TestImportFailingLateLeavesNothing(t *testing.T) {
	t.Parallel()
	s, dsn := storetest.NewWithDSN(t)
	rows := importRows(100_000)
	rows[89_999].Status = "sleeping" // the CHECK on subscribers.status refuses it
	_, err := s.ImportSubscribers(context.Background(), importer, rows, store.ImportOptions{})
	if err == nil {
		t.Fatal("import: got no error, want the refused status")
	}
	if n := countRows(t, dsn, `SELECT count(*) FROM subscribers`); n != 0 {
		t.Errorf("subscribers after the failed import: got %d, want 0", n)
	}
	if n := countRows(t, dsn, `SELECT count(*) FROM audit_log WHERE action = 'import'`); n != 0 {
		t.Errorf("import audit records: got %d, want 0", n)
	}
}

// TestImportChecksSpanChunks puts each problem an import finds in a
// different chunk from the line it depends on: a login repeated three
// chunks later, an unknown package in the last chunk, a login that exists.
func TestImportChecksSpanChunks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dsn := storetest.NewWithDSN(t)
	storetest.QueryRow(t, dsn, `INSERT INTO packages (name) VALUES ('Basic')`, nil)
	if _, err := s.ImportSubscribers(ctx, importer, []store.ImportRow{{Line: 1, Login: "USER004001", PasswordHash: "x", Status: "active"}},
		store.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	rows := importRows(9_000)
	rows[7_499].Login = "User000003" // line 7500 repeats line 3
	rows[8_998].Packages = []string{"Nope"}
	rows[8_999].Packages = []string{"basic"}
	rep, err := s.ImportSubscribers(ctx, importer, rows, store.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantErrors := []api.ImportLine{{Line: 7500, Reason: "login: repeats line 3"}, {Line: 8999, Reason: "packages: unknown package Nope"}}
	wantSkipped := []api.ImportLine{{Line: 4001, Reason: "login: already exists"}}
	if d := cmp.Diff(wantErrors, rep.Errors); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantSkipped, rep.Skipped); d != "" {
		t.Errorf("skipped (-want +got):\n%s", d)
	}
	if rep.Created != 9_000-3 {
		t.Errorf("created: got %d, want %d", rep.Created, 9_000-3)
	}
	if n := countRows(t, dsn, `SELECT count(*) FROM subscribers`); n != 1+9_000-3 {
		t.Errorf("subscribers: got %d, want %d", n, 1+9_000-3)
	}
	if n := countRows(t, dsn, `SELECT count(*) FROM subscriber_packages sp JOIN subscribers s ON s.id = sp.subscriber_id
		WHERE s.login = 'user009000'`); n != 1 {
		t.Errorf("packages of the last line: got %d, want 1", n)
	}
}
