// Package ratelimit counts failed attempts (sign-ins, token guesses) per key
// in a fixed window and says when a key must wait. It is in memory, per
// instance: an attacker spreading guesses over N instances gets N times the
// budget, which stays far too small to guess a 22-character password.
package ratelimit

import (
	"sync"
	"time"
)

// Failures limits keys to Max failures per Window.
type Failures struct {
	Max    int
	Window time.Duration
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	count int
	start time.Time
}

// maxEntries bounds memory under a flood of distinct keys; past it, expired
// windows are swept before a new key is added.
const maxEntries = 100_000

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
	if e == nil || now.Sub(e.start) >= f.Window {
		if e == nil && len(f.entries) >= maxEntries {
			f.sweep(now)
		}
		e = &entry{start: now}
		f.entries[key] = e
	}
	e.count++
}

// Reset forgets key's failures, after a success.
func (f *Failures) Reset(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.entries, key)
}

func (f *Failures) sweep(now time.Time) {
	for k, e := range f.entries {
		if now.Sub(e.start) >= f.Window {
			delete(f.entries, k)
		}
	}
}

func (f *Failures) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}
