package playauth

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"canale/server/internal/store"
)

// batchSize is how many rows go into one statement, and how many pending
// rows wake the writer before its tick.
const batchSize = 1000

// writer records session states in batches, coalesced by session id, so a
// check costs a map write and never a database round trip. While the
// database is away the states wait, up to max distinct sessions; beyond that
// new ones are dropped and counted.
type writer struct {
	store SessionStore
	log   *slog.Logger
	max   int

	mu   sync.Mutex
	wait map[string]store.PlaySessionWrite
	kick chan struct{}

	dropped atomic.Int64
	flushMu sync.Mutex
}

func newWriter(s SessionStore, log *slog.Logger, max int) *writer {
	return &writer{store: s, log: log, max: max, wait: map[string]store.PlaySessionWrite{}, kick: make(chan struct{}, 1)}
}

func (w *writer) queue(x store.PlaySessionWrite) {
	w.mu.Lock()
	_, known := w.wait[x.SessionID]
	if !known && len(w.wait) >= w.max {
		w.mu.Unlock()
		w.dropped.Add(1)
		return
	}
	w.wait[x.SessionID] = x
	n := len(w.wait)
	w.mu.Unlock()
	if n >= batchSize {
		select {
		case w.kick <- struct{}{}:
		default:
		}
	}
}

func (w *writer) pending() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.wait)
}

func (w *writer) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if err := w.flush(fctx); err != nil {
				w.log.Warn("last flush of play sessions failed", "error", err, "pending", w.pending())
			}
			cancel()
			return
		case <-t.C:
		case <-w.kick:
		}
		if err := w.flush(ctx); err != nil && ctx.Err() == nil {
			w.log.Debug("flush play sessions; will retry", "error", err, "pending", w.pending())
		}
	}
}

// flush writes everything waiting. What fails to be written goes back in
// the queue unless a newer state of the same session arrived meanwhile.
func (w *writer) flush(ctx context.Context) error {
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	w.mu.Lock()
	batch := w.wait
	w.wait = make(map[string]store.PlaySessionWrite, len(batch))
	w.mu.Unlock()
	rows := slices.Collect(maps.Values(batch))
	for len(rows) > 0 {
		n := min(len(rows), batchSize)
		if err := w.store.UpsertPlaySessions(ctx, rows[:n]); err != nil {
			w.requeue(rows)
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (w *writer) requeue(rows []store.PlaySessionWrite) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, x := range rows {
		if _, newer := w.wait[x.SessionID]; !newer {
			w.wait[x.SessionID] = x
		}
	}
}
