package session

import (
	"context"
	"math/rand/v2"
	"time"

	"canale/shared/api"
	"canale/shared/client"
)

// State is the state of the event stream, which is how the app knows it is
// live: a status bar shows it.
type State int

// States.
const (
	StateOffline      State = iota // signed out, or the server ended the session
	StateConnecting                // signed in, opening the stream
	StateConnected                 // events are arriving
	StateReconnecting              // the stream broke; retrying with backoff
)

// String returns the label a status bar shows.
func (st State) String() string {
	return [...]string{"offline", "connecting…", "connected", "reconnecting…"}[st]
}

// OnState registers fn to be called with every state change and its cause
// (nil unless something broke). Callbacks run on the session's goroutine.
func (s *Session) OnState(fn func(State, error)) {
	s.mu.Lock()
	s.onState = append(s.onState, fn)
	s.mu.Unlock()
}

// OnEvent registers fn to be called with every event from the server, in
// order, on the session's goroutine.
func (s *Session) OnEvent(fn func(api.Event)) {
	s.mu.Lock()
	s.onEvent = append(s.onEvent, fn)
	s.mu.Unlock()
}

// State returns the current state.
func (s *Session) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *Session) setState(st State, cause error) {
	s.mu.Lock()
	s.state = st
	fns := s.onState
	s.mu.Unlock()
	for _, fn := range fns {
		fn(st, cause)
	}
}

func (s *Session) emit(e api.Event) {
	s.mu.Lock()
	fns := s.onEvent
	s.mu.Unlock()
	for _, fn := range fns {
		fn(e)
	}
}

// runEvents keeps the event stream open until ctx is done, reconnecting with
// exponential backoff and jitter (so a restarted server is not hit by every
// app at once). A refused token ends the session: reconnecting cannot help.
func (s *Session) runEvents(ctx context.Context, c *client.Client) {
	wait := s.cfg.MinBackoff
	s.setState(StateConnecting, nil)
	for {
		stream, err := c.DialEvents(ctx)
		if err == nil {
			s.setState(StateConnected, nil)
			wait = s.cfg.MinBackoff
			err = s.pump(ctx, stream)
		}
		if ctx.Err() != nil {
			return
		}
		if api.ErrorCode(err) == api.CodeUnauthorized {
			s.cfg.Logger.Info("event stream refused; session over", "error", err)
			go s.expire(c, err)
			return
		}
		s.cfg.Logger.Warn("event stream lost; reconnecting", "error", err, "retry_in", wait)
		s.setState(StateReconnecting, err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait/2 + rand.N(wait/2+1)):
		}
		wait = min(2*wait, s.cfg.MaxBackoff)
	}
}

// expire ends a session the server no longer accepts (logout elsewhere,
// re-key, expiry). It runs apart from the event loop, which end waits for.
// It does nothing if the user has meanwhile signed in again.
func (s *Session) expire(c *client.Client, cause error) {
	s.mu.Lock()
	current := s.client == c
	s.mu.Unlock()
	if current && s.end() != nil {
		s.setState(StateOffline, cause)
	}
}

// pump delivers events until the stream ends or ctx is done.
func (s *Session) pump(ctx context.Context, stream *client.EventStream) error {
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
		case <-done:
		}
		stream.Close()
	}()
	for {
		e, err := stream.Next()
		if err != nil {
			return err
		}
		s.emit(e)
	}
}
