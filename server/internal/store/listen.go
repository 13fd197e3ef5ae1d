package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// ListenChanges calls fn with every change NOTIFYed on ChangesChannel by any
// instance, until ctx is done. It holds one dedicated connection outside the
// pool (a LISTEN lives and dies with its session) and reconnects with
// exponential backoff when the connection drops. Whatever was notified
// before the LISTEN was in place is lost, so each time it is (at the start
// and after every reconnect) it calls fn with Change{Entity: api.EntityAll, Op:
// api.OpResync}: whoever listens catches up with what it missed. It returns
// ctx.Err() when ctx is done.
//
// The backoff is short (at most 5 s) and cut short as soon as the pool
// opens a connection again: after a failover or a partition the instance
// would otherwise be writable at once yet deaf to other instances' changes
// (tokens reset elsewhere still allowed) until its backoff ran out, up to
// 30 s before. One connection attempt every few seconds costs nothing.
func (s *Store) ListenChanges(ctx context.Context, fn func(api.Change)) error {
	const minWait, maxWait = 250 * time.Millisecond, 5 * time.Second
	wait := minWait
	for {
		select { // a connection opened before this attempt says nothing about after it
		case <-s.connected:
		default:
		}
		err := s.listen(ctx, fn, func() { wait = minWait })
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.logger.Warn("listen for changes: connection lost; reconnecting", "error", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.connected:
		case <-time.After(wait):
		}
		wait = min(2*wait, maxWait)
	}
}

// listen runs one LISTEN session until it fails. connected runs once the
// LISTEN is in place.
func (s *Store) listen(ctx context.Context, fn func(api.Change), connected func()) error {
	cfg := s.pool.Config().ConnConfig
	if s.listenCfg != nil {
		cfg = s.listenCfg
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{ChangesChannel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	connected()
	fn(api.Change{Entity: api.EntityAll, Op: api.OpResync})
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		var c api.Change
		if err := json.Unmarshal([]byte(n.Payload), &c); err != nil {
			s.logger.Warn("ignored malformed change notification", "error", err, "payload", n.Payload)
			continue
		}
		fn(c)
	}
}
