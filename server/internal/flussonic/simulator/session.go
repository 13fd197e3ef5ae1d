package simulator

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// requestLogSize bounds how many backend questions are remembered.
const requestLogSize = 1000

// AuthCounters count what the simulator asked the authorization backend
// and how it answered players.
type AuthCounters struct {
	Requests       int // backend calls made
	NewSessions    int // ... with request_type=new_session
	UpdateSessions int // ... with request_type=update_session
	Allowed        int // backend answered 200
	Denied         int // backend answered 403 or another refusing status
	Redirected     int // backend answered 302
	BackendErrors  int // 5xx or no answer (the cached decision was kept)
	CacheHits      int // player requests answered from the cached decision
	PlayerDenied   int // player requests answered 403, for any reason
}

// Session is an open play session as the sessions API shows it.
type Session struct {
	ID       string
	Name     string
	IP       string
	Proto    string
	Token    string
	UserID   string
	DVR      bool
	OpenedAt time.Time
	Bytes    int64
}

type dvrRange struct{ from, to int64 }

// session is the simulator's record of one play session.
type session struct {
	ask sync.Mutex // one backend question at a time per session

	id, key, name, ip, proto, token, qs, userAgent, referer string
	dvr                                                     bool
	openedAt, lastSeen, authUntil                           time.Time
	decided, allowed, closed                                bool
	redirect                                                string
	requestNumber                                           int
	bytes                                                   int64
	userID                                                  string
	maxSessions                                             int
	dvrRanges                                               []dvrRange // allowed_dvr_ranges, when dvrLimited
	dvrLimited                                              bool       // the backend sent allowed_dvr_ranges (an empty list: no archive)
	streaming                                               int        // open MPEG-TS answers
	done                                                    chan struct{}
}

// authState holds sessions, bans and counters; its lock is taken after
// Simulator.mu, never before.
type authState struct {
	mu       sync.Mutex
	sessions map[string]*session // by session key
	byID     map[string]*session
	bans     map[string]time.Time // session key -> until
	counters AuthCounters
	log      []url.Values
	gen      atomic.Uint64 // bumped when open sessions change, for page caches
	now      func() time.Time
	idle     time.Duration
}

func newAuthState(now func() time.Time, idle time.Duration) *authState {
	return &authState{sessions: map[string]*session{}, byID: map[string]*session{},
		bans: map[string]time.Time{}, now: now, idle: idle}
}

// openLocked reports whether a session counts as a viewer now.
func (ss *session) openLocked(now time.Time, idle time.Duration) bool {
	return !ss.closed && ss.allowed && (ss.streaming > 0 || now.Sub(ss.lastSeen) < idle)
}

func (ss *session) closeLocked() {
	if !ss.closed {
		ss.closed = true
		close(ss.done)
	}
}

// openCount is the number of viewers of a stream the simulator itself serves.
func (a *authState) openCount(name string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n, now := 0, a.now()
	for _, ss := range a.sessions {
		if ss.name == name && ss.openLocked(now, a.idle) {
			n++
		}
	}
	return n
}

// totalOpen is the number of viewers of anything the simulator serves.
func (a *authState) totalOpen() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n, now := 0, a.now()
	for _, ss := range a.sessions {
		if ss.openLocked(now, a.idle) {
			n++
		}
	}
	return n
}

// pruneLocked forgets sessions that went idle and whose cached decision ran
// out, and bans that expired.
func (a *authState) pruneLocked(now time.Time) {
	for _, ss := range a.sessions {
		if ss.streaming == 0 && now.Sub(ss.lastSeen) >= a.idle && !now.Before(ss.authUntil) {
			ss.closeLocked()
			a.forgetLocked(ss)
		}
	}
	for key, until := range a.bans {
		if !now.Before(until) {
			delete(a.bans, key)
		}
	}
}

func (a *authState) closeAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, ss := range a.sessions {
		ss.closeLocked()
	}
}

func (a *authState) record(q url.Values) {
	if len(a.log) >= requestLogSize {
		a.log = a.log[1:]
	}
	a.log = append(a.log, q)
}

// sessionID makes a uuid-shaped id, as current streamers send.
func sessionID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// AuthCounters returns the counters so far.
func (s *Simulator) AuthCounters() AuthCounters {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	return s.auth.counters
}

// AuthRequests returns the query strings of the last backend calls, oldest first.
func (s *Simulator) AuthRequests() []url.Values {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	out := make([]url.Values, len(s.auth.log))
	copy(out, s.auth.log)
	return out
}

// Sessions returns the open, allowed sessions, oldest first.
func (s *Simulator) Sessions() []Session {
	a := s.auth
	a.mu.Lock()
	defer a.mu.Unlock()
	now := s.opts.Now()
	var out []Session
	for _, ss := range a.sessions {
		if ss.openLocked(now, s.opts.SessionIdle) {
			out = append(out, Session{ID: ss.id, Name: ss.name, IP: ss.ip, Proto: ss.proto,
				Token: ss.token, UserID: ss.userID, DVR: ss.dvr, OpenedAt: ss.openedAt, Bytes: ss.bytes})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OpenedAt.Before(out[j].OpenedAt) })
	return out
}

// CloseSession ends one session at once, as DELETE /sessions/{id} does; the
// player's next request opens a new session. It reports whether it existed.
func (s *Simulator) CloseSession(id string) bool {
	a := s.auth
	a.mu.Lock()
	defer a.mu.Unlock()
	ss, ok := a.byID[id]
	if !ok || ss.closed {
		return false
	}
	ss.closeLocked()
	a.forgetLocked(ss)
	return true
}

func (a *authState) forgetLocked(ss *session) {
	if a.sessions[ss.key] == ss {
		delete(a.sessions, ss.key)
	}
	delete(a.byID, ss.id)
	a.gen.Add(1)
}
