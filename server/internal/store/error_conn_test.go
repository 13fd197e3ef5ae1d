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
