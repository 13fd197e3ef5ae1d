// Package pace keeps a background job to a share of one CPU, so the play
// checks that share the machine with it keep their answer time. The read
// model's rebuilds and reconciles, the subscriber, channel and EPG imports
// and the password hashing of bulk imports all use it: one pacer, one
// share, one place to tune.
package pace

import (
	"context"
	"time"
)

// DefaultShare is the share of one CPU a background job may take by
// default. Run flat out, a rebuild of a million subscribers took a CPU for
// five seconds and PostgreSQL another to send the rows, on a two-core
// server that must also answer every viewer's play check: those waited up
// to 2.2 s at p99. A quarter of a CPU leaves the checks their CPU at the
// cost of a job taking four times as long, which nothing waits for: the
// old model, the old guide, answer meanwhile.
const DefaultShare = 0.25

// slice is the longest a job works before it rests: short enough that a
// play check queued behind it on a CPU waits no longer.
const slice = 2 * time.Millisecond

// every is how many units of work pass between two looks at the clock: a
// unit (one row) is a microsecond or two, a clock read tens of nanoseconds.
const every = 64

// Pacer keeps a job to a share of one CPU: the job calls Step after each
// unit of work (or Check after each larger one, such as a statement), and
// once it has worked for a slice, the call sleeps long enough that work
// takes share of the time. The job's allocation rate is bounded with it,
// and with that the collector's work. Wall time is counted, not CPU time,
// so time spent waiting for PostgreSQL to run a statement counts as work
// too (that CPU is the machine's as well), and a job that the play checks
// push off the CPU rests longer: under load it yields more, not less.
//
// A Pacer is used by one goroutine; give each worker its own.
type Pacer struct {
	share float64 // of one CPU; 1 or more: no pacing
	began time.Time
	n     int
}

// New returns a pacer that keeps its job to share of one CPU; a share of 1
// or more does not pace.
func New(share float64) *Pacer { return &Pacer{share: share, began: time.Now()} }

// Step counts a unit of work and, every few units, checks the clock (Check).
func (p *Pacer) Step(ctx context.Context) error {
	if p.n++; p.n%every != 0 {
		return nil
	}
	return p.Check(ctx)
}

// Check rests when a slice is used up, for work that comes in larger units
// than a row (a query, a chunk of rows); it returns ctx's error when ctx
// ends while it rests.
func (p *Pacer) Check(ctx context.Context) error {
	if p.share >= 1 {
		return nil
	}
	busy := time.Since(p.began)
	if busy < slice {
		return nil
	}
	err := Sleep(ctx, p.rest(busy))
	p.began = time.Now()
	return err
}

// rest is how long to sleep after working busy.
func (p *Pacer) rest(busy time.Duration) time.Duration {
	return time.Duration(float64(busy) * (1 - p.share) / p.share)
}

// Sleep waits d (nothing when d is negative or zero) or until ctx is done,
// and returns ctx's error in that case.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
