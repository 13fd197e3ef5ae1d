//go:build loadtest

package loadtest

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/testserver"
)

// backgroundJob is work the server does beside the play checks; run is
// its i-th run, and runs follow each other for a whole round at half of
// peak. The run going when the round ends is waited for, so a job longer
// than a round is still timed.
type backgroundJob struct {
	name string
	run  func(ctx context.Context, i int) error
}

// jobRow is one line of the background-jobs table.
type jobRow struct {
	name string
	runs int
	each time.Duration
	p99  time.Duration
	// cores is the server process's CPU over the round divided by its
	// wall time: play checks and the job together. Less at the mercy of
	// the neighbours than a p99, it shows how much CPU the job took.
	cores float64
}

// backgroundJobs are the jobs issue 21 names that this harness can start:
// the read model's safety net and rebuild, then the imports and the
// billing batch (importJobs).
func backgroundJobs(t *testing.T, srv *testserver.Server, n int) []backgroundJob {
	cat := srv.App.Catalog()
	return append([]backgroundJob{
		{"nothing (quiet server)", func(ctx context.Context, _ int) error { return sleepCtx(ctx, time.Second) }},
		{"reconcile (the safety net)", func(ctx context.Context, _ int) error { _, err := cat.Reconcile(ctx); return err }},
		{"rebuild (a reset, a bulk change)", func(ctx context.Context, _ int) error { return cat.Load(ctx) }},
	}, importJobs(t, srv, n)...)
}

// until polls ok every 50 ms for up to ten minutes.
func until(ctx context.Context, ok func() bool) error {
	for deadline := time.Now().Add(10 * time.Minute); !ok(); {
		if time.Now().After(deadline) {
			return fmt.Errorf("not done within ten minutes")
		}
		if err := sleepCtx(ctx, 50*time.Millisecond); err != nil {
			return err
		}
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// during runs job back to back for one round and returns the round's
// result, the runs made and the mean time of one.
func during(t *testing.T, job backgroundJob, round func() openLoopResult) jobRow {
	var stop atomic.Bool
	done := make(chan struct{})
	var n int
	var took time.Duration
	go func() {
		defer close(done)
		for !stop.Load() {
			start := time.Now()
			if err := job.run(context.Background(), n); err != nil {
				t.Errorf("%s: %v", job.name, err)
				return
			}
			n, took = n+1, took+time.Since(start)
		}
	}()
	cpu, start := processCPU(t), time.Now()
	r := round()
	cores := (processCPU(t) - cpu).Seconds() / time.Since(start).Seconds()
	stop.Store(true)
	<-done
	return jobRow{name: job.name, runs: n, each: took / time.Duration(max(n, 1)), p99: r.P99, cores: cores}
}

// printJobTable prints one table: the quiet server's figures, then each
// job's duration and the play checks' p99 while it ran, as a ratio to the
// bare net/http floor of the same run (issue 21's targets: 1.5x quiet,
// 2x during a job).
func printJobTable(t *testing.T, bare, noop time.Duration, quiet jobRow, rows []jobRow) {
	ratio := func(d time.Duration) string { return fmt.Sprintf("%.2fx", float64(d)/float64(bare)) }
	summary(t, "background jobs: auth p99 at half of peak against the bare net/http floor of the same run (%v);", bare.Round(time.Microsecond))
	summary(t, "targets: quiet <= 1.5x, during a job <= 2x")
	const row = "  %-58s %5s %8s %12s %8s %7s"
	summary(t, row, "what runs", "runs", "each", "auth p99", "/ bare", "cores")
	summary(t, row, "nothing, /healthz no-op", "-", "-", noop.Round(time.Microsecond), ratio(noop), "-")
	summary(t, row, quiet.name, "-", "-", quiet.p99.Round(time.Microsecond), ratio(quiet.p99), fmt.Sprintf("%.2f", quiet.cores))
	for _, r := range rows {
		summary(t, row, r.name, strconv.Itoa(r.runs), fmt.Sprintf("%.1fs", r.each.Seconds()), r.p99.Round(time.Microsecond),
			ratio(r.p99), fmt.Sprintf("%.2f", r.cores))
	}
}
