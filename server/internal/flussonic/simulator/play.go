package simulator

import (
	"net/http"
	"time"
)

// handlePlay serves a player URL after authorizing it.
func (s *Simulator) handlePlay(w http.ResponseWriter, r *http.Request) {
	if allowCORS(w, r) {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	now := s.opts.Now()
	if pr, ok := s.vodRequest(r.URL.Path, now.Unix()); ok {
		s.playVOD(w, r, pr)
		return
	}
	pr, ok := parsePlayPath(r.URL.Path, now.Unix())
	if !ok {
		http.NotFound(w, r)
		return
	}
	st, ok := s.Stream(pr.name)
	if !ok && s.lookupExternal(r.Context(), pr.name) {
		st, ok = s.Stream(pr.name)
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	if pr.dvr && !inArchive(st, pr, now) {
		http.Error(w, "not in the archive", http.StatusNotFound)
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

// playVOD authorizes a file of a VOD location as a stream's play is
// (the global on_play, since a file has no stream of its own) and serves it.
func (s *Simulator) playVOD(w http.ResponseWriter, r *http.Request, pr playRequest) {
	v := s.authorize(r.Context(), pr, r)
	switch {
	case v.redirect != "":
		http.Redirect(w, r, v.redirect, http.StatusFound)
	case !v.allow:
		http.Error(w, "forbidden", http.StatusForbidden)
	default:
		s.serveVOD(w, r, pr, v.sess)
	}
}

// inArchive reports whether a DVR request falls within the stream's
// archive depth. A stream with no DVR of its own serves any position, as an
// edge relaying its origin's archive does.
func inArchive(st Stream, pr playRequest, now time.Time) bool {
	if st.DVRDepth <= 0 {
		return true
	}
	oldest := now.Add(-st.DVRDepth).Unix()
	return pr.from >= oldest && pr.from <= now.Unix()
}

// serve writes the media answer and accounts its bytes to the session.
func (s *Simulator) serve(w http.ResponseWriter, r *http.Request, pr playRequest, ss *session, now time.Time) {
	var body []byte
	switch pr.kind {
	case kindHLS:
		w.Header().Set("Content-Type", "application/vnd.apple.mpegurl")
		w.Header().Set("Cache-Control", "no-cache")
		body = []byte(mediaPlaylist(pr, now.Unix(), r.URL.RawQuery))
	case kindDASH:
		w.Header().Set("Content-Type", "application/dash+xml")
		body = []byte(dashManifest(pr))
	case kindTS:
		n, ok := segmentNumber(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "video/mp2t")
		body = segment(n)
	default:
		s.streamMPEGTS(w, r, pr, ss)
		return
	}
	w.Write(body)
	s.auth.addBytes(ss, len(body))
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
