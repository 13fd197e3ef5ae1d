package simulator

import (
	"bytes"
	_ "embed"
	"net/http"
	"strings"
	"time"
)

// movie is what every file of a VOD location plays: a short H.264/AAC MP4
// made by media/gen.sh, so a movie or an episode of the demo plays in a
// browser, VLC or an XC app, whatever its catalogue entry names.
//
//go:embed media/movie.mp4
var movie []byte

// movieModified is the embedded file's Last-Modified: fixed, so ranges and
// If-Range agree across restarts.
var movieModified = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// kindVODFile is a file of a VOD location, downloaded progressively.
const kindVODFile = "vodfile"

// vodRequest recognises a player URL under one of Options.VODLocations:
// the file itself (/PREFIX/PATH, progressive with ranges) or its HLS forms
// (/PREFIX/PATH/index.m3u8 and the segments it lists), as Flussonic serves
// VOD locations.
func (s *Simulator) vodRequest(path string, now int64) (playRequest, bool) {
	p := strings.Trim(path, "/")
	first, _, ok := strings.Cut(p, "/")
	if !ok || !s.isVODLocation(first) {
		return playRequest{}, false
	}
	if pr, ok := parsePlayPath(path, now); ok && (pr.kind == kindHLS || pr.kind == kindTS) && !pr.dvr {
		pr.ended, pr.duration = true, int64(len(loop)*segmentSeconds)
		return pr, true
	}
	return playRequest{name: p, proto: "mp4", kind: kindVODFile}, true
}

func (s *Simulator) isVODLocation(prefix string) bool {
	for _, l := range s.opts.VODLocations {
		if l == prefix {
			return true
		}
	}
	return false
}

// serveVOD writes a VOD answer: the embedded MP4 with ranges, a finished
// playlist of the loop, or one of its segments.
func (s *Simulator) serveVOD(w http.ResponseWriter, r *http.Request, pr playRequest, ss *session) {
	switch pr.kind {
	case kindVODFile:
		w.Header().Set("Content-Type", "video/mp4")
		cw := &countingWriter{ResponseWriter: w}
		http.ServeContent(cw, r, "", movieModified, bytes.NewReader(movie))
		s.auth.addBytes(ss, cw.n)
	case kindHLS:
		w.Header().Set("Content-Type", "application/vnd.apple.mpegurl")
		body := mediaPlaylist(pr, 0, r.URL.RawQuery)
		w.Write([]byte(body))
		s.auth.addBytes(ss, len(body))
	default:
		n, ok := segmentNumber(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "video/mp2t")
		w.Write(segment(n))
		s.auth.addBytes(ss, len(segment(n)))
	}
}

// countingWriter counts the body bytes written, for the session's bytes.
type countingWriter struct {
	http.ResponseWriter
	n int
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += n
	return n, err
}
