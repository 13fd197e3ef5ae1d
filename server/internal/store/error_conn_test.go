package store

import (
	"fmt"
	"io"
	"testing"

	"canale/shared/api"

	"github.com/jackc/pgx/v5/pgconn"
)

// A connection that breaks under a statement (the failover suite saw it
// when a partition cut the pool's sessions) is "database unavailable", so
// the API answers 503 and the caller retries, never a 500.
func TestInterpretErrorConnectionLost(t *testing.T) {
	for _, err := range []error{
		fmt.Errorf("find admin by token: %w", io.ErrUnexpectedEOF),
		fmt.Errorf("read: %w", io.EOF),
		fmt.Errorf("query: %w", pgconn.ErrConnClosed),
	} {
		if got := api.ErrorCode(interpretError(err)); got != api.CodeUnavailable {
			t.Errorf("interpretError(%v) code = %q, want %q", err, got, api.CodeUnavailable)
		}
	}
}

// A switchover answers writes on the old primary with SQLSTATEs of its own
// (the failover suite saw a 500 through haproxy): each is a 503 to retry.
func TestInterpretErrorSwitchoverStates(t *testing.T) {
	for _, code := range []string{"25006", "57P01", "57P03", "57014", "08006", "08001", "08P01", "53300"} {
		err := &pgconn.PgError{Code: code, Message: "state " + code}
		if got := api.ErrorCode(interpretError(err)); got != api.CodeUnavailable {
			t.Errorf("SQLSTATE %s: code %q, want %q", code, got, api.CodeUnavailable)
		}
	}
	for _, code := range []string{"23505", "42P01", "40P01"} { // a conflict, a bug, a deadlock: not "try later"
		err := &pgconn.PgError{Code: code, Message: "state " + code, ConstraintName: "x_y_key", TableName: "x"}
		if got := api.ErrorCode(interpretError(err)); got == api.CodeUnavailable {
			t.Errorf("SQLSTATE %s: answered as unavailable", code)
		}
	}
}
