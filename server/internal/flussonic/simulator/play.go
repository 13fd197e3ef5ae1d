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
	pr, vod := s.vodRequest(r.URL.Path, now.Unix())
	if !vod {
		var status int
		if pr, status = s.streamRequest(r, now); status != http.StatusOK {
			http.Error(w, http.StatusText(status), status)
			return
		}
	}
	// A file of a VOD location has no stream of its own: the global
	// on_play decides, as for a stream without one.
	v := s.authorize(r.Context(), pr, r)
	switch {
	case v.redirect != "":
		http.Redirect(w, r, v.redirect, http.StatusFound)
	case !v.allow:
		http.Error(w, "forbidden", http.StatusForbidden)
	case pr.dvr && !s.auth.allowsDVR(v.sess, pr.from):
		s.refuse(v.sess)
		http.Error(w, "archive position not allowed", http.StatusForbidden)
	case vod:
		s.serveVOD(w, r, pr, v.sess)
	default:
		s.serve(w, r, pr, v.sess, now)
	}
}

// streamRequest parses a stream's player URL and checks that the stream
// exists (asking config_external about one it does not know) and that a
// DVR position is within its archive; else it returns 404.
func (s *Simulator) streamRequest(r *http.Request, now time.Time) (playRequest, int) {
	pr, ok := parsePlayPath(r.URL.Path, now.Unix())
	if !ok {
		return pr, http.StatusNotFound
	}
	st, ok := s.Stream(pr.name)
	if !ok && s.lookupExternal(r.Context(), pr.name) {
		st, ok = s.Stream(pr.name)
	}
	if !ok || (pr.dvr && !inArchive(st, pr, now)) {
		return pr, http.StatusNotFound
	}
	return pr, http.StatusOK
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
