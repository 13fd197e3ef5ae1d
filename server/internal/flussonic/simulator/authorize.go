package simulator

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"net"
	"net/http"
	"strconv"
	"time"
)

// staleRetry is how long a cached decision is kept when the backend fails
// (historic Flussonic kept entries at least 10 s).
const staleRetry = 10 * time.Second

// verdict is what the player gets.
type verdict struct {
	allow    bool
	redirect string
	sess     *session
}

// authorize decides one player request as a streamer does: from the cached
// decision while X-AuthDuration lasts, otherwise by asking the backend with
// new_session or update_session.
func (s *Simulator) authorize(ctx context.Context, pr playRequest, r *http.Request) verdict {
	token := r.URL.Query().Get(s.opts.TokenParam)
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	if token == "" {
		if s.opts.NoAutoToken {
			return s.refuse(nil)
		}
		token = autoToken(ip, r.UserAgent(), pr.name)
	}
	ss, banned := s.auth.session(pr, ip, token, r)
	if banned {
		return s.refuse(nil)
	}
	ss.ask.Lock()
	defer ss.ask.Unlock()
	if v, ok := s.auth.cached(ss); ok {
		return s.count(v)
	}
	s.ask(ctx, ss)
	return s.count(s.auth.verdictOf(ss))
}

// count tallies refusals for AuthCounters.
func (s *Simulator) count(v verdict) verdict {
	if !v.allow && v.redirect == "" {
		s.refuse(nil)
	}
	return v
}

func (s *Simulator) refuse(ss *session) verdict {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	s.auth.counters.PlayerDenied++
	return verdict{sess: ss}
}

// autoToken stands for the token Flussonic makes up for a player that sent
// none; it is stable per player so HLS requests join one session.
func autoToken(ip, ua, name string) string {
	sum := sha1.Sum([]byte(ip + "\x00" + ua + "\x00" + name))
	return hex.EncodeToString(sum[:8])
}

// sessionKey is name+ip+proto+token, Flussonic's session_keys with token
// added; archive playback is kept apart from live (it is asked about with
// dvr=true), which the spec implies but does not state.
func sessionKey(name, ip, proto, token string, dvr bool) string {
	return name + "\x00" + ip + "\x00" + proto + "\x00" + token + "\x00" + strconv.FormatBool(dvr)
}

// session finds the player's session or opens a new one; banned is true
// while a session-limit ban on that key lasts.
func (a *authState) session(pr playRequest, ip, token string, r *http.Request) (ss *session, banned bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	a.pruneLocked(now)
	key := sessionKey(pr.name, ip, pr.proto, token, pr.dvr)
	if until, ok := a.bans[key]; ok && now.Before(until) {
		return nil, true
	}
	if ss = a.sessions[key]; ss != nil && !(ss.closed && !now.Before(ss.authUntil)) {
		ss.lastSeen = now
		return ss, false
	}
	if ss != nil {
		a.forgetLocked(ss) // a refused session whose cached answer ran out
	}
	ss = &session{id: sessionID(), key: key, name: pr.name, ip: ip, proto: pr.proto, token: token,
		qs: r.URL.RawQuery, userAgent: r.UserAgent(), referer: r.Referer(), dvr: pr.dvr,
		openedAt: now, lastSeen: now, done: make(chan struct{})}
	a.sessions[key] = ss
	a.byID[ss.id] = ss
	return ss, false
}

// cached returns the session's decision while its X-AuthDuration lasts.
func (a *authState) cached(ss *session) (verdict, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !ss.decided || !a.now().Before(ss.authUntil) {
		return verdict{}, false
	}
	a.counters.CacheHits++
	return verdict{allow: ss.allowed && !ss.closed, redirect: ss.redirect, sess: ss}, true
}

func (a *authState) verdictOf(ss *session) verdict {
	a.mu.Lock()
	defer a.mu.Unlock()
	return verdict{allow: ss.allowed && !ss.closed, redirect: ss.redirect, sess: ss}
}
