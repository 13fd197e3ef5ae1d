package simulator

import (
	"fmt"
	"net"
	"time"
)

// Die makes the streamer vanish: it stops listening and drops open
// connections, so callers see "connection refused". Revive brings it back.
func (s *Simulator) Die() {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.dead = true
	if s.srv != nil {
		s.srv.Close()
		s.srv = nil
	}
}

// Revive listens again on the same address after Die and clears all faults.
func (s *Simulator) Revive() error {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.dead, s.lag, s.failure = false, 0, 0
	if s.srv != nil || s.addr == "" {
		return nil // never started, or used as a plain handler
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("listen again on %s: %w", s.addr, err)
	}
	s.serveLocked(ln)
	return nil
}

// SetLag delays every answer by d (0 removes the delay). A lag longer than
// the caller's timeout looks like a hung streamer.
func (s *Simulator) SetLag(d time.Duration) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.lag = d
}

// SetFailure answers every request with the given HTTP status (e.g. 500)
// and a Flussonic error body; 0 restores normal answers.
func (s *Simulator) SetFailure(status int) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.failure = status
}

func (s *Simulator) faults() (lag time.Duration, failure int, dead bool) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.lag, s.failure, s.dead
}
