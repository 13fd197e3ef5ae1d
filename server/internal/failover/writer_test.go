package failover_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/shared/api"
	"canale/shared/client"
)

// writer creates categories through one instance's admin API, one after
// another, retrying a failed one until it goes through, and records every
// attempt. Categories are the cheapest audited write with a unique name (a
// subscriber would cost an argon2id hash per write on a shared machine).
type writer struct {
	name string
	c    *client.Client

	mu       sync.Mutex
	attempts []attempt
	acked    []string
}

type attempt struct {
	start, end time.Time
	ok         bool
	clear503   bool // failed with Canale's own "unavailable" answer (HTTP 503)
	err        string
}

func startWriter(ctx context.Context, wg *sync.WaitGroup, name string, c *client.Client) *writer {
	w := &writer{name: name, c: c}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 0; ctx.Err() == nil; n++ {
			login := fmt.Sprintf("w-%s-%d", name, n)
			for tries := 0; ctx.Err() == nil; tries++ {
				if w.try(ctx, login, tries > 0) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	return w
}

// try creates login once. retry says an earlier attempt failed: a conflict
// then means that attempt committed after all, and counts as done.
func (w *writer) try(ctx context.Context, login string, retry bool) bool {
	rctx, cancel := context.WithTimeout(ctx, 8*time.Second)
	defer cancel()
	a := attempt{start: time.Now()}
	_, err := w.c.CreateCategory(rctx, api.Category{Kind: api.CategoryLive, Name: login})
	a.end = time.Now()
	if ctx.Err() != nil {
		return true
	}
	a.ok = err == nil || (retry && api.ErrorCode(err) == api.CodeConflict)
	if !a.ok {
		var e *api.Error
		a.err = err.Error()
		// The client turns a transport failure into "unavailable" too; only
		// an answer from the server counts as a clear 503.
		a.clear503 = api.ErrorCode(err) == api.CodeUnavailable && asAPI(err, &e) && !strings.HasPrefix(e.Message, "cannot reach")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.attempts = append(w.attempts, a)
	if a.ok {
		w.acked = append(w.acked, login)
	}
	return a.ok
}

func asAPI(err error, e **api.Error) bool {
	x, ok := err.(*api.Error)
	*e = x
	return ok
}

// ackNow writes login through this instance now and fails the test unless
// it is acknowledged.
func (w *writer) ackNow(t *testing.T, login string) string {
	t.Helper()
	if !w.try(t.Context(), login, false) {
		t.Fatalf("write %s through %s before the event failed", login, w.name)
	}
	return login
}

// writableAfter waits for the first write through this instance that
// succeeds after the event at (skipping any that got through before the
// failure was noticed) and returns how long after back (leader elected,
// partition healed) its answer came. Past back+within it fails the test.
func (w *writer) writableAfter(t *testing.T, at, back time.Time, within time.Duration) time.Duration {
	t.Helper()
	deadline := back.Add(within)
	for {
		w.mu.Lock()
		failed, okAt := false, time.Time{}
		for _, a := range w.attempts {
			if a.start.Before(at) {
				continue
			}
			if !a.ok {
				failed = true
			} else if failed {
				okAt = a.end
				break
			}
		}
		w.mu.Unlock()
		if !okAt.IsZero() {
			d := okAt.Sub(back)
			if d > within {
				t.Errorf("instance %s writable %v after the database came back, want within %v", w.name, d, within)
			}
			return max(d, 0)
		}
		if time.Now().After(deadline) {
			t.Errorf("instance %s not writable %v after the database came back", w.name, within)
			return time.Since(back)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// failuresSince counts failed attempts that started after at: those
// answered with a clear 503, and the others.
func (w *writer) failuresSince(at time.Time) (unavailable, other int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, a := range w.attempts {
		if a.start.Before(at) || a.ok {
			continue
		}
		if a.clear503 {
			unavailable++
		} else {
			other++
		}
	}
	return unavailable, other
}

func (w *writer) firstOther(at time.Time) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, a := range w.attempts {
		if !a.start.Before(at) && !a.ok && !a.clear503 {
			return a.err
		}
	}
	return ""
}

func (w *writer) ackedLogins() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.acked...)
}
