package catalog

import (
	"context"
	"time"
)

// defaultShare is the share of one CPU a background job of the model
// (rebuild, reconcile) may take by default. Run flat out, a rebuild of a
// million subscribers took a CPU for five seconds and PostgreSQL another
// to send the rows, on a two-core server that must also answer every
// viewer's play check: those waited up to 2.2 s at p99. A quarter of a CPU
// leaves the checks their CPU at the cost of a rebuild taking four times
// as long, which nothing waits for: the old model answers meanwhile.
const defaultShare = 0.25

// paceSlice is the longest a job works before it rests: short enough
// that a play check queued behind it on a CPU waits no longer.
const paceSlice = 2 * time.Millisecond

// paceEvery is how many units of work pass between two looks at the
// clock: a unit (one row) is a microsecond or two, a clock read tens of
// nanoseconds.
const paceEvery = 64

// pacer keeps a background job to a share of one CPU: the job calls step
// after each unit of work, and once it has worked for a slice, step
// sleeps long enough that work takes share of the time. The job's
// allocation rate is bounded with it, and with that the collector's
// work. Wall time is counted, not CPU time, so a job that the play checks
// push off the CPU rests longer: under load it yields more, not less.
type pacer struct {
	share float64 // of one CPU; 1 or more: no pacing
	began time.Time
	n     int
}

func newPacer(share float64) *pacer { return &pacer{share: share, began: time.Now()} }

// step counts a unit of work and, every paceEvery units, checks.
func (p *pacer) step(ctx context.Context) error {
	if p.n++; p.n%paceEvery != 0 {
		return nil
	}
	return p.check(ctx)
}

// check rests when a slice is used up, for work that comes in larger
// units than a row; it returns ctx's error when ctx ends while it rests.
func (p *pacer) check(ctx context.Context) error {
	if p.share >= 1 {
		return nil
	}
	busy := time.Since(p.began)
	if busy < paceSlice {
		return nil
	}
	err := sleep(ctx, p.rest(busy))
	p.began = time.Now()
	return err
}

// rest is how long to sleep after working busy.
func (p *pacer) rest(busy time.Duration) time.Duration {
	return time.Duration(float64(busy) * (1 - p.share) / p.share)
}
