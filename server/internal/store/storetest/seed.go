package storetest

import (
	"context"
	"log/slog"
	"testing"

	"canale/server/internal/store"

	"github.com/jackc/pgx/v5"
)

// NewWithDSN is New that also returns the connection string, for tests that
// seed rows with Exec before the API to write them exists.
func NewWithDSN(tb testing.TB) (*store.Store, string) {
	tb.Helper()
	dsn := DSN(tb)
	s, err := store.Open(context.Background(), dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatalf("open test store: %v", err)
	}
	tb.Cleanup(s.Close)
	return s, dsn
}

// Exec runs one SQL statement on the database at dsn and fails the test on
// error. It is for seeding fixtures; application code goes through Store.
func Exec(tb testing.TB, dsn, sql string, args ...any) {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect for seed: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		tb.Fatalf("seed %q: %v", sql, err)
	}
}
