package store

import (
	"context"
	"testing"
)

// HoldConns makes the pool of s hold n connections at once, then returns
// them idle, and reports their server process ids, so a test can end those
// sessions behind the pool's back as a failover does.
func HoldConns(t *testing.T, s *Store, n int) []uint32 {
	t.Helper()
	var pids []uint32
	var release []func()
	for range n {
		c, err := s.pool.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, c.Conn().PgConn().PID())
		release = append(release, c.Release)
	}
	for _, r := range release {
		r()
	}
	return pids
}
