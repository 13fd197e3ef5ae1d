package simulator

import (
	"net/http"
	"time"
)

// tsPacketsPerAnswer is how many null packets follow PAT and PMT.
const tsPacketsPerAnswer = 5

// handlePlay serves a player URL after authorizing it.
func (s *Simulator) handlePlay(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	now := s.opts.Now()
	pr, ok := parsePlayPath(r.URL.Path, now.Unix())
	if !ok {
		http.NotFound(w, r)
		return
	}
	if _, ok := s.Stream(pr.name); !ok && !s.lookupExternal(r.Context(), pr.name) {
		http.NotFound(w, r)
		return
	}
	v := s.authorize(r.Context(), pr, r)
	switch {
	case v.redirect != "":
		http.Redirect(w, r, v.redirect, http.StatusFound)
	case !v.allow:
		http.Error(w, "forbidden", http.StatusForbidden)
	case pr.dvr && !s.auth.allowsDVR(v.sess, pr.from):
		s.refuse(v.sess)
		http.Error(w, "archive position not allowed", http.StatusForbidden)
	default:
		s.serve(w, r, pr, v.sess, now)
	}
}

// serve writes the media answer and accounts its bytes to the session.
func (s *Simulator) serve(w http.ResponseWriter, r *http.Request, pr playRequest, ss *session, now time.Time) {
	var body []byte
	switch pr.kind {
	case kindHLS:
		w.Header().Set("Content-Type", "application/vnd.apple.mpegurl")
		body = []byte(mediaPlaylist(pr, now.Unix(), r.URL.RawQuery))
	case kindDASH:
		w.Header().Set("Content-Type", "application/dash+xml")
		body = []byte(dashManifest(pr))
	default:
		w.Header().Set("Content-Type", "video/mp2t")
		body = tsPackets(tsPacketsPerAnswer)
	}
	w.Write(body)
	s.auth.addBytes(ss, len(body))
	if pr.kind == kindMPEGTS && s.opts.MPEGTSHold > 0 {
		http.NewResponseController(w).Flush()
		s.hold(r, ss)
	}
}

// hold keeps an MPEG-TS answer open, as a live socket, until the session
// is killed, the player leaves, the simulator stops or MPEGTSHold passes.
func (s *Simulator) hold(r *http.Request, ss *session) {
	s.auth.streaming(ss, 1)
	defer s.auth.streaming(ss, -1)
	t := time.NewTimer(s.opts.MPEGTSHold)
	defer t.Stop()
	select {
	case <-ss.done:
	case <-r.Context().Done():
	case <-s.stop:
	case <-t.C:
	}
}

func (a *authState) addBytes(ss *session, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ss.bytes += int64(n)
}

func (a *authState) streaming(ss *session, delta int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ss.streaming += delta
	ss.lastSeen = a.now()
}
