package importxc

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"canale/server/internal/credential"
)

// progressEvery is how often hashing progress is printed.
const progressEvery = time.Second

// hashAll hashes passwords with argon2id on every core, with the import
// parameters (credential.HashForImport): line passwords are plaintext in XC
// and a full-cost hash each would make a large import take hours. The first
// sign-in that verifies such a hash may replace it (credential.NeedsRehash).
// Progress goes to w.
func hashAll(ctx context.Context, passwords []string, workers int, w io.Writer) ([]string, error) {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	out := make([]string, len(passwords))
	var done atomic.Int64
	var firstErr error
	var errOnce sync.Once
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				h, err := credential.HashForImport(passwords[i])
				if err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
					return
				}
				out[i] = h
				done.Add(1)
			}
		})
	}
	stopProgress := startProgress(w, "subscribers: hashing passwords", len(passwords), &done)
	func() {
		defer close(next)
		for i := range passwords {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	wg.Wait()
	stopProgress()
	if firstErr != nil {
		return nil, fmt.Errorf("hash password: %w", firstErr)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("hash passwords: %w", err)
	}
	return out, nil
}

// startProgress prints "what: n/total (p%), r lines/s" every progressEvery
// until the returned func is called, which prints the final line.
func startProgress(w io.Writer, what string, total int, done *atomic.Int64) func() {
	start := time.Now()
	print := func() {
		n := done.Load()
		pct := 100.0
		if total > 0 {
			pct = float64(n) * 100 / float64(total)
		}
		rate := float64(n) / max(time.Since(start).Seconds(), 1e-3)
		fmt.Fprintf(w, "%s: %d/%d (%.0f%%), %.0f lines/s\n", what, n, total, pct, rate)
	}
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				print()
			}
		}
	}()
	return func() {
		close(stop)
		<-finished
		print()
	}
}
