package pgsql

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Watch receives what Supervise sees. Down is called when the server exited
// without being asked to, with why; Up when a restart has made it ready
// again. Either may be nil.
type Watch struct {
	Down func(err error)
	Up   func()
}

// Restart policy of Supervise: up to restartAttempts starts, the first after
// restartFirstWait, each wait twice the one before (about 15 s in all), so a
// killed server whose orphaned backends still hold its shared memory gets
// time to let go, and a cluster that cannot start ends the process quickly
// enough for systemd to act. The attempts are counted again only once the
// server has stayed up for restartCalm, so a server that crashes right
// after each start is not restarted for ever.
const (
	restartAttempts  = 5
	restartFirstWait = 500 * time.Millisecond
	restartCalm      = time.Minute
)

// Supervise restarts the server this process started whenever it exits
// unasked, until ctx is done (it then returns nil and leaves the server to
// Stop, which must be called only after Supervise has returned). It returns
// an error when the server could not be started again: the caller should
// then exit non-zero so the service manager restarts everything, because
// /readyz would otherwise answer 503 for as long as the process lives. It
// returns nil at once on a cluster another process runs.
func (c *Cluster) Supervise(ctx context.Context, w Watch) error {
	left, upSince := restartAttempts, time.Now()
	for {
		p := c.current()
		if p == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-p.exited:
		}
		c.logger().Error("embedded PostgreSQL exited; restarting it", "error", p.err)
		if w.Down != nil {
			w.Down(fmt.Errorf("postgres exited: %v", p.err))
		}
		if time.Since(upSince) >= restartCalm {
			left = restartAttempts
		}
		if err := c.restart(ctx, &left); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		upSince = time.Now()
		c.logger().Info("embedded PostgreSQL restarted")
		if w.Up != nil {
			w.Up()
		}
	}
}

// restart starts the server again, waiting before each attempt and using
// the attempts left.
func (c *Cluster) restart(ctx context.Context, left *int) error {
	wait := restartFirstWait * time.Duration(1<<(restartAttempts-*left))
	var err error
	for ; *left > 0; *left-- {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		if err = c.startServer(ctx); err == nil {
			return nil
		}
		c.logger().Warn("restart embedded PostgreSQL", "attempts_left", *left-1, "error", err)
		wait *= 2
	}
	if err == nil {
		err = errors.New("it kept exiting soon after each start")
	}
	return fmt.Errorf("embedded PostgreSQL did not come back after %d attempts: %w", restartAttempts, err)
}
