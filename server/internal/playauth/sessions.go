package playauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"canale/server/internal/catalog"
	"canale/server/internal/store"
	"canale/shared/api"
)

// trackerShards spreads sessions by subscriber, so the checks of different
// subscribers never wait for each other.
const trackerShards = 64

// killedMemory is how long a killed session id is remembered in memory; the
// database remembers it for good.
const killedMemory = time.Hour

// tracker is this instance's memory of live sessions.
type tracker struct {
	shards [trackerShards]trackerShard
	// killed is sharded by a hash of the session id: every check asks it,
	// and one read lock for all of them is a cache line the cores pass
	// back and forth on each.
	killed [trackerShards]killedShard
}

type killedShard struct {
	mu  sync.RWMutex
	ids map[string]time.Time
}

type trackerShard struct {
	mu    sync.Mutex
	bySub map[int64]map[string]*liveSession
	byID  map[string]*liveSession
}

type liveSession struct {
	w store.PlaySessionWrite
	// persisted is when the state last went to the session writer.
	persisted time.Time
	// phase (a hash of the session id) brings the first write forward by
	// up to one interval, so sessions admitted together are not written
	// together ever after: in the load harness 4,096 sessions opened in
	// the same second, and every auth duration the writer sent them all
	// at once, a PostgreSQL burst that stalled play checks beside it.
	phase    uint64
	phaseSet bool // the first write has been made
}

// sessionPhase is FNV-1a of id: spread, stable, and free of allocation.
func sessionPhase(id string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint64(id[i])) * 1099511628211
	}
	return h
}

func newTracker() *tracker {
	t := &tracker{}
	for i := range t.shards {
		t.shards[i] = trackerShard{bySub: map[int64]map[string]*liveSession{}, byID: map[string]*liveSession{}}
		t.killed[i].ids = map[string]time.Time{}
	}
	return t
}

func (t *tracker) shard(sub int64) *trackerShard { return &t.shards[uint64(sub)%trackerShards] }

// touch refreshes a live session this instance knows and returns its new
// state; ok is false when the session is unknown or expired here. persist
// tells whether the state is due for the database: at most once per
// persistEvery (the first write sooner, by the session's phase), because a
// row that expires ttl after its last write stays live as long as it is
// rewritten well within ttl, and the rewrites in between would only move
// updated_at.
func (t *tracker) touch(sub int64, id string, now time.Time, ttl, persistEvery time.Duration, bytes int64) (w store.PlaySessionWrite, persist, ok bool) {
	sh := t.shard(sub)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	l := sh.byID[id]
	if l == nil || l.w.SubscriberID != sub || !now.Before(l.w.ExpiresAt) {
		return store.PlaySessionWrite{}, false, false
	}
	l.w.UpdatedAt, l.w.ExpiresAt = now, now.Add(ttl)
	l.w.Bytes = max(l.w.Bytes, bytes)
	due := persistEvery
	if !l.phaseSet && persistEvery > 0 {
		due -= time.Duration(l.phase % uint64(persistEvery))
	}
	if persist = now.Sub(l.persisted) >= due; persist {
		l.persisted, l.phaseSet = now, true
	}
	return l.w, persist, true
}

// add records an admitted session.
func (t *tracker) add(w store.PlaySessionWrite) {
	sh := t.shard(w.SubscriberID)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if old := sh.byID[w.SessionID]; old != nil && old.w.SubscriberID != w.SubscriberID {
		t.removeLocked(sh, old)
	}
	l := &liveSession{w: w, persisted: w.UpdatedAt, phase: sessionPhase(w.SessionID)}
	sh.byID[w.SessionID] = l
	m := sh.bySub[w.SubscriberID]
	if m == nil {
		m = map[string]*liveSession{}
		sh.bySub[w.SubscriberID] = m
	}
	m[w.SessionID] = l
}

// admitLocal is the fallback admission while the database is away: the
// limit is counted over the sessions this instance knows.
func (t *tracker) admitLocal(w store.PlaySessionWrite, maxSessions int, now time.Time) bool {
	sh := t.shard(w.SubscriberID)
	sh.mu.Lock()
	live := 0
	for id, l := range sh.bySub[w.SubscriberID] {
		if id != w.SessionID && now.Before(l.w.ExpiresAt) {
			live++
		}
	}
	sh.mu.Unlock()
	if maxSessions > 0 && live >= maxSessions {
		return false
	}
	t.add(w)
	return true
}

func (t *tracker) removeLocked(sh *trackerShard, l *liveSession) {
	delete(sh.byID, l.w.SessionID)
	if m := sh.bySub[l.w.SubscriberID]; m != nil {
		delete(m, l.w.SessionID)
		if len(m) == 0 {
			delete(sh.bySub, l.w.SubscriberID)
		}
	}
}

// kill remembers a killed session id and forgets the live session.
func (t *tracker) kill(id string, now time.Time) {
	k := t.killedShard(id)
	k.mu.Lock()
	k.ids[id] = now
	k.mu.Unlock()
	t.forget(id)
}

// forget drops a live session. Its subscriber is not known here, so every
// shard is looked at: kills and ends are rare next to checks.
func (t *tracker) forget(id string) {
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		if l := sh.byID[id]; l != nil {
			t.removeLocked(sh, l)
		}
		sh.mu.Unlock()
	}
}

func (t *tracker) isKilled(id string) bool {
	k := t.killedShard(id)
	k.mu.RLock()
	_, ok := k.ids[id]
	k.mu.RUnlock()
	return ok
}

func (t *tracker) killedShard(id string) *killedShard {
	return &t.killed[sessionPhase(id)%trackerShards]
}

// prune forgets expired sessions and old kills. It returns the last state
// of each forgotten session that the database has not seen (checks that
// came between persisted writes), so history keeps the real end and bytes.
func (t *tracker) prune(now time.Time) []store.PlaySessionWrite {
	var last []store.PlaySessionWrite
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for _, l := range sh.byID {
			if !now.Before(l.w.ExpiresAt) {
				if l.w.UpdatedAt.After(l.persisted) {
					last = append(last, l.w)
				}
				t.removeLocked(sh, l)
			}
		}
		sh.mu.Unlock()
	}
	for i := range t.killed {
		k := &t.killed[i]
		k.mu.Lock()
		for id, at := range k.ids {
			if now.Sub(at) > killedMemory {
				delete(k.ids, id)
			}
		}
		k.mu.Unlock()
	}
	return last
}

// live counts the unexpired sessions this instance knows.
func (t *tracker) live(now time.Time) int {
	n := 0
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for _, l := range sh.byID {
			if now.Before(l.w.ExpiresAt) {
				n++
			}
		}
		sh.mu.Unlock()
	}
	return n
}

// endSession closes a session its edge reported ended. Queued states are
// written first, so the row exists to be closed; when the database is away
// the session simply expires.
func (s *Service) endSession(ctx context.Context, id string) {
	s.sessions.forget(id)
	err := s.writer.flush(ctx)
	if err == nil {
		err = s.Store.EndPlaySession(ctx, id, s.Now())
	}
	if err != nil && ctx.Err() == nil {
		s.Logger.Debug("end play session", "session_id", id, "error", err)
	}
}

// session admits or refreshes the request's session. A session this
// instance knows is answered from memory; any other session id goes through
// the database admission, or the local fallback when the database is away.
func (s *Service) session(ctx context.Context, r *Request, d *Decision, st catalog.Settings, now time.Time) Reason {
	id := sessionID(r)
	if s.sessions.isKilled(id) {
		return ReasonSessionKilled
	}
	ttl := SessionTTLFactor * st.AuthDuration
	if w, persist, ok := s.sessions.touch(d.Subscriber.ID, id, now, ttl, st.AuthDuration, r.Bytes); ok {
		if persist {
			s.writer.queue(w)
		}
		return ReasonOK
	}
	w := s.newWrite(r, d, id, now, ttl)
	if d.Subscriber.MaxSessions == 0 { // no limit: nothing to count, so no synchronous write
		s.sessions.add(w)
		s.writer.queue(w)
		return ReasonOK
	}
	return s.admit(ctx, w, d.Subscriber.MaxSessions, st.SessionPolicy == catalog.PolicyEndOldest, now)
}

func (s *Service) admit(ctx context.Context, w store.PlaySessionWrite, maxSessions int, endOldest bool, now time.Time) Reason {
	actx, cancel := context.WithTimeout(ctx, s.AdmitTimeout)
	defer cancel()
	res, err := s.Store.AdmitPlaySession(actx, store.PlaySessionAdmission{Session: w, MaxSessions: maxSessions, EndOldest: endOldest})
	switch {
	case err != nil:
		if ctx.Err() == nil && api.ErrorCode(err) != api.CodeUnavailable {
			s.Logger.Warn("admit play session", "error", err, "subscriber_id", w.SubscriberID)
		}
		s.metrics.fallbacks.Inc()
		if !s.sessions.admitLocal(w, maxSessions, now) {
			return ReasonTooManySessions
		}
		s.writer.queue(w)
		return ReasonOK
	case res.Killed:
		s.sessions.kill(w.SessionID, now)
		return ReasonSessionKilled
	case !res.Admitted:
		return ReasonTooManySessions
	}
	s.sessions.add(w)
	for _, e := range res.Ended {
		s.sessions.kill(e.SessionID, now)
		s.dropOnStreamer(e.StreamerID, e.SessionID)
	}
	return ReasonOK
}

func (s *Service) newWrite(r *Request, d *Decision, id string, now time.Time, ttl time.Duration) store.PlaySessionWrite {
	w := store.PlaySessionWrite{SessionID: id, SubscriberID: d.Subscriber.ID,
		Name: r.Name, StreamerHost: r.Peer, IP: r.IP, UserAgent: r.UserAgent, Proto: r.Proto, DVR: r.DVR,
		Bytes: r.Bytes, OpenedAt: now, UpdatedAt: now, ExpiresAt: now.Add(ttl)}
	if d.Channel != nil { // nil for a movie's or episode's file, which the name tells
		w.ChannelID = d.Channel.ID
	}
	if r.Host != "" {
		w.StreamerHost = r.Host
	}
	w.StreamerID = s.streamerID(w.StreamerHost, r.Peer)
	return w
}

// streamerID names the registered streamer that asked: by the host it
// announced, else by the address the request came from; 0 when neither
// is registered.
func (s *Service) streamerID(host, peer string) int64 {
	if st, ok := s.Catalog.StreamerByHost(host); ok {
		return st.ID
	}
	if st, ok := s.Catalog.StreamerByHost(peer); ok {
		return st.ID
	}
	return 0
}

// sessionID is the streamer's session id, or one derived from what
// Flussonic's session_keys hash (name, ip, proto, token) when none was sent.
func sessionID(r *Request) string {
	if r.SessionID != "" {
		return r.SessionID
	}
	return derivedID("auto", r.Token, r.IP, r.Name, r.Proto)
}

// derivedID hashes the parts, each ended by a NUL, into prefix-<24 hex>.
// nginx's auth_request asks it for every segment a viewer fetches, so the
// hash input is built in a buffer on the stack (a long one spills) and the
// answer is the one allocation.
func derivedID(prefix string, parts ...string) string {
	var in [256]byte
	b := in[:0]
	for _, p := range parts {
		b = append(append(b, p...), 0)
	}
	sum := sha256.Sum256(b)
	var out [64]byte
	id := append(append(out[:0], prefix...), '-')
	id = hex.AppendEncode(id, sum[:12])
	return string(id)
}

// liveSession reports whether this instance knows session id of sub as live.
func (t *tracker) liveSession(sub int64, id string, now time.Time) bool {
	sh := t.shard(sub)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	l := sh.byID[id]
	return l != nil && l.w.SubscriberID == sub && now.Before(l.w.ExpiresAt)
}
