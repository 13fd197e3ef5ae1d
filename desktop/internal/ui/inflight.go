package ui

import "sync"

// inflight counts background work in flight, for tests that wait until the
// UI is idle. Unlike sync.WaitGroup it may be waited on while new work
// starts (a WaitGroup forbids Add racing a Wait at zero, which events do).
type inflight struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

func (f *inflight) lock() {
	f.mu.Lock()
	if f.cond == nil {
		f.cond = sync.NewCond(&f.mu)
	}
}

// Add counts one more piece of work.
func (f *inflight) Add(delta int) {
	f.lock()
	f.n += delta
	if f.n <= 0 {
		f.n = 0
		f.cond.Broadcast()
	}
	f.mu.Unlock()
}

// Done marks one piece of work finished.
func (f *inflight) Done() { f.Add(-1) }

// Wait blocks until no work is in flight.
func (f *inflight) Wait() {
	f.lock()
	for f.n > 0 {
		f.cond.Wait()
	}
	f.mu.Unlock()
}
