package importxc

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"canale/server/internal/credential"
)

// progressEvery is how often hashing progress is printed.
const progressEvery = time.Second

// hashAll hashes passwords with the import parameters on every core
// (credential.HashAllForImport): line passwords are plaintext in XC and a
// full-cost hash each would make a large import take hours. The first
// successful sign-in replaces such a hash (credential.Hasher).
// Progress goes to w.
func hashAll(ctx context.Context, passwords []string, workers int, w io.Writer) ([]string, error) {
	var done atomic.Int64
	stopProgress := startProgress(w, "subscribers: hashing passwords", len(passwords), &done)
	out, _, err := credential.HashAllForImport(ctx, passwords, workers, func(n int) { done.Store(int64(n)) })
	stopProgress()
	return out, err
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
