// Package ratelimit counts failed attempts (sign-ins, token guesses) per key
// in a fixed window and says when a key must wait. It is in memory, per
// instance: an attacker spreading guesses over N instances gets N times the
// budget, which stays far too small to guess a 22-character password.
package ratelimit

import (
	"container/list"
	"sync"
	"time"
)

// Failures limits keys to Max failures per Window.
type Failures struct {
	Max    int
	Window time.Duration
	// MaxKeys bounds the keys kept, so a flood of distinct keys (addresses,
	// logins) cannot grow memory without end; zero means 100,000. When it
	// is reached, expired windows are dropped and then, if that is not
	// enough, the oldest: a flood costs the oldest counts, never memory.
	MaxKeys int
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]*entry
	order   list.List // of *entry, oldest window start first
}

type entry struct {
	key   string
	count int
	start time.Time
	place *list.Element
}

// defaultMaxKeys is MaxKeys when unset: about 10 MB of counters.
const defaultMaxKeys = 100_000

// Check reports whether key may try again now and, if not, how long it must
// wait.
func (f *Failures) Check(key string) (ok bool, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.entries[key]
	now := f.now()
	if e == nil || now.Sub(e.start) >= f.Window || e.count < f.Max {
		return true, 0
	}
	return false, e.start.Add(f.Window).Sub(now)
}

// Count returns key's failures in its current window.
func (f *Failures) Count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.entries[key]
	if e == nil || f.now().Sub(e.start) >= f.Window {
		return 0
	}
	return e.count
}

// Fail records a failed attempt for key.
func (f *Failures) Fail(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.entries == nil {
		f.entries = make(map[string]*entry)
	}
	now := f.now()
	e := f.entries[key]
	switch {
	case e == nil:
		f.makeRoom(now)
		e = &entry{key: key, start: now}
		e.place = f.order.PushBack(e)
		f.entries[key] = e
	case now.Sub(e.start) >= f.Window:
		e.count, e.start = 0, now
		f.order.MoveToBack(e.place)
	}
	e.count++
}

// Reset forgets key's failures, after a success.
func (f *Failures) Reset(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e := f.entries[key]; e != nil {
		f.remove(e)
	}
}

// makeRoom makes a place for one more key: the list is in window start
// order, so expired windows are at its front, and the oldest after them.
func (f *Failures) makeRoom(now time.Time) {
	limit := f.MaxKeys
	if limit <= 0 {
		limit = defaultMaxKeys
	}
	for front := f.order.Front(); front != nil; front = f.order.Front() {
		e := front.Value.(*entry)
		if len(f.entries) < limit && now.Sub(e.start) < f.Window {
			return
		}
		f.remove(e)
	}
}

func (f *Failures) remove(e *entry) {
	f.order.Remove(e.place)
	delete(f.entries, e.key)
}

func (f *Failures) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}
