package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// QueryRow runs one statement on the database at dsn and scans its row into
// dest, for fixtures the store has no method for (packages in tests of
// subscribers, for example).
func QueryRow(tb testing.TB, dsn, sql string, args []any, dest ...any) {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	row := conn.QueryRow(ctx, sql, args...)
	if len(dest) == 0 {
		var discard any
		dest = []any{&discard}
	}
	if err := row.Scan(dest...); err != nil && err != pgx.ErrNoRows {
		tb.Fatalf("%s: %v", sql, err)
	}
}

// KeptDSN returns a new migrated database that lives until the test binary
// ends (storetest.Main), for benchmarks that seed once and share the data.
func KeptDSN(tb testing.TB) string {
	tb.Helper()
	DSN(tb) // make sure the server is up
	name := fmt.Sprintf("%s_kept_%d", template, counter.Add(1))
	if err := adminExec(fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template)); err != nil {
		tb.Fatalf("create kept database: %v", err)
	}
	kept = append(kept, name)
	return dsnFor(name)
}

// SeedSubscribers COPYs n subscribers into the database at dsn: logins
// user0000001…, names from a small list of first and last names (so name
// prefixes repeat as they do in real data), a status mix of 90% active, 7%
// disabled and 3% banned, expiries spread over two years with a tenth
// never expiring, and random-looking tokens. One package, "Bench", is held
// by every tenth subscriber. A million rows take a few seconds to copy, plus
// the index builds.
func SeedSubscribers(tb testing.TB, dsn string, n int) {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	first := []string{"anna", "boris", "carla", "dmitri", "elena", "franco", "giulia", "hugo", "irina", "jonas"}
	last := []string{"rossi", "ivanov", "smith", "müller", "dubois", "kowalski", "silva", "novak", "jensen", "horvat"}
	statuses := []string{"active", "active", "active", "active", "active", "active", "active", "active", "active", "disabled"}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cols := []string{"login", "password_hash", "name", "token", "status", "expires_at"}
	src := pgx.CopyFromFunc(func() func() ([]any, error) {
		i := 0
		return func() ([]any, error) {
			if i >= n {
				return nil, nil
			}
			i++
			status := statuses[i%10]
			if i%33 == 0 {
				status = "banned"
			}
			var exp any
			if i%10 != 7 {
				exp = base.Add(time.Duration(i*7919%730) * 24 * time.Hour)
			}
			return []any{fmt.Sprintf("user%07d", i), "x", first[i*31%10] + " " + last[i*17%10] + fmt.Sprint(i%1000),
				fmt.Sprintf("%032x", uint64(i)*0x9e3779b97f4a7c15), status, exp}, nil
		}
	}())
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"subscribers"}, cols, src); err != nil {
		tb.Fatalf("seed subscribers: %v", err)
	}
	for _, sql := range []string{
		`INSERT INTO packages (name) VALUES ('Bench') ON CONFLICT DO NOTHING`,
		`INSERT INTO subscriber_packages SELECT s.id, p.id FROM subscribers s, packages p WHERE p.name = 'Bench' AND s.id % 10 = 0`,
		`ANALYZE subscribers`, `ANALYZE subscriber_packages`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			tb.Fatalf("seed: %s: %v", sql, err)
		}
	}
}
