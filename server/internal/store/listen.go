package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// ListenChanges calls fn with every api.Change published on ChangesChannel
// until ctx is done. It holds a dedicated connection (LISTEN does not work
// through a pool) and reconnects with backoff when it drops; after every
// reconnect (once LISTEN is in place again) it calls fn with a reset change (Entity "*", Op "reset"), because
// notifications sent while it was away are lost and read models must reload.
// It returns ctx's error.
func (s *Store) ListenChanges(ctx context.Context, fn func(api.Change)) error {
	backoff := 100 * time.Millisecond
	for first := true; ; first = false {
		reconnect := !first
		err := s.listenOnce(ctx, fn, func() {
			backoff = 100 * time.Millisecond
			if reconnect {
				fn(api.Change{Entity: "*", Op: "reset"})
			}
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.logger.Warn("change listener lost its connection; reconnecting", "error", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// listenOnce listens on one connection until it fails; connected is called
// once LISTEN is in place.
func (s *Store) listenOnce(ctx context.Context, fn func(api.Change), connected func()) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect listener: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+ChangesChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	connected()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		var c api.Change
		if err := json.Unmarshal([]byte(n.Payload), &c); err != nil {
			s.logger.Warn("ignoring malformed change notification", "payload", n.Payload, "error", err)
			continue
		}
		fn(c)
	}
}
