package simulator

import (
	"context"
	"net/http"
	"time"
)

func (s *Simulator) sessionsJSON() []map[string]any {
	out := []map[string]any{}
	for _, ss := range s.Sessions() {
		out = append(out, map[string]any{
			"id": ss.ID, "name": ss.Name, "ip": ss.IP, "proto": ss.Proto, "token": ss.Token,
			"user_id": ss.UserID, "dvr": ss.DVR, "bytes": ss.Bytes, "type": "play",
			"opened_at": ss.OpenedAt.UnixMilli(),
		})
	}
	return out
}

func (s *Simulator) handleSessionList(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"sessions": s.sessionsJSON()})
}

func (s *Simulator) handleLegacySessions(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"event": "user.list", "sessions": s.sessionsJSON()})
}

func (s *Simulator) handleSessionDelete(w http.ResponseWriter, r *http.Request) {
	if !s.CloseSession(r.PathValue("id")) {
		writeError(w, http.StatusNotFound, "not_found", "no such session")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleSessionReauth serves POST /sessions/reauth?name=: every open
// session of the stream is asked about again at once.
func (s *Simulator) handleSessionReauth(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if _, ok := s.Stream(name); !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such stream")
		return
	}
	n := s.Reauth(r.Context(), name)
	writeJSON(w, http.StatusOK, map[string]any{"estimated_count": n})
}

// Reauth asks the backend again (update_session) about every open session
// of the stream, or of all streams when name is empty, dropping cached
// answers. It returns how many sessions were asked about.
func (s *Simulator) Reauth(ctx context.Context, name string) int {
	list := s.auth.open(func(ss *session, _ time.Time) bool { return name == "" || ss.name == name })
	for _, ss := range list {
		s.reask(ctx, ss)
	}
	return len(list)
}

// RecheckExpired asks the backend (update_session) about every open
// session whose X-AuthDuration has run out; Options.RecheckInterval runs it
// periodically. It returns how many sessions were asked about.
func (s *Simulator) RecheckExpired(ctx context.Context) int {
	list := s.auth.open(func(ss *session, now time.Time) bool { return !now.Before(ss.authUntil) })
	for _, ss := range list {
		s.reask(ctx, ss)
	}
	return len(list)
}

func (s *Simulator) reask(ctx context.Context, ss *session) {
	ss.ask.Lock()
	defer ss.ask.Unlock()
	if s.auth.isClosed(ss) {
		return
	}
	s.ask(ctx, ss)
}

func (s *Simulator) recheckLoop() {
	defer s.wg.Done()
	t := time.NewTicker(s.opts.RecheckInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			s.RecheckExpired(ctx)
			cancel()
		}
	}
}

// open returns the open sessions that match.
func (a *authState) open(match func(*session, time.Time) bool) []*session {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	var out []*session
	for _, ss := range a.sessions {
		if ss.decided && ss.openLocked(now, a.idle) && match(ss, now) {
			out = append(out, ss)
		}
	}
	return out
}

func (a *authState) isClosed(ss *session) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return ss.closed
}
