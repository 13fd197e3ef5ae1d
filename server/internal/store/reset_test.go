package store_test

import (
	"context"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"

	"github.com/jackc/pgx/v5"
)

// TestResetOutlivesADeadlock makes a writer that holds the last table Reset
// truncates and then reaches for the first: PostgreSQL ends the reset (its
// deadlock check runs first) as the victim, and Reset must try again and
// succeed rather than fail the operator's `setup reset` or a test's setup.
func TestResetOutlivesADeadlock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dsn := storetest.NewWithDSN(t)

	writer, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close(ctx)
	// The writer checks for deadlocks later than Reset's connections (1 s),
	// so Reset is the victim.
	if _, err := writer.Exec(ctx, `SET deadlock_timeout = '5s'`); err != nil {
		t.Fatal(err)
	}
	// The tables in the order Reset lists them (the same query).
	rows, _ := writer.Query(ctx, `SELECT quote_ident(tablename) FROM pg_tables
		WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) < 2 {
		t.Fatalf("tables: %v, %v", tables, err)
	}
	first, last := tables[0], tables[len(tables)-1]
	tx, err := writer.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE `+last+` IN ROW EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Reset(ctx) }()
	// Wait until Reset holds the first table and waits for the last.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting bool
		if err := writer.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid())`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("reset ended before it waited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			rows, _ := writer.Query(ctx, `SELECT coalesce(wait_event_type,'') || ' ' || left(query, 60) FROM pg_stat_activity`)
			all, _ := pgx.CollectRows(rows, pgx.RowTo[string])
			t.Fatalf("reset never waited for the writer's table: %q", all)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The writer now reaches for the first table: a deadlock.
	if _, err := tx.Exec(ctx, `LOCK TABLE `+first+` IN ROW EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("reset after a deadlock: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("reset did not finish")
	}
}

// TestResetAnnouncesEverything reads Reset's NOTIFY as another instance's
// listener does: its payload must stay byte for byte what servers and
// desktops of every version parse as "reload everything".
func TestResetAnnouncesEverything(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, dsn := storetest.NewWithDSN(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN `+store.ChangesChannel); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := conn.WaitForNotification(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"entity":"*","op":"reset"}`; n.Payload != want {
		t.Fatalf("reset payload = %s, want %s", n.Payload, want)
	}
}
