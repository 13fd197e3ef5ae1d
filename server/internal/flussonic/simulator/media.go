package simulator

import (
	"embed"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The simulator's test stream is real media, so a browser player, VLC,
// Kodi or ffprobe given a simulated URL plays a picture and a tone rather
// than failing on an empty answer. It is a short loop of MPEG-TS segments
// (H.264 + AAC) made once by media/gen.sh and embedded: every live,
// catch-up and MPEG-TS answer of every stream is cut from that loop.
//
//go:generate sh media/gen.sh
//go:embed media/seg0.ts media/seg1.ts media/seg2.ts
var mediaFiles embed.FS

// loop holds the embedded segments in play order; each lasts segmentSeconds.
var loop = func() [][]byte {
	var out [][]byte
	for i := 0; ; i++ {
		b, err := mediaFiles.ReadFile(fmt.Sprintf("media/seg%d.ts", i))
		if err != nil {
			return out
		}
		out = append(out, b)
	}
}()

// segmentSeconds is the length of each looped segment (media/gen.sh cuts them).
const segmentSeconds = 2

// liveWindow is how many segments a sliding (live or timeshift) playlist
// lists: enough for a player to buffer three target durations behind the edge.
const liveWindow = 5

// segment returns the media of absolute segment number n: the loop, again and again.
func segment(n int64) []byte {
	return loop[((n%int64(len(loop)))+int64(len(loop)))%int64(len(loop))]
}

// mediaPlaylist is an HLS media playlist over the loop. Segment n starts at
// UTC second n*segmentSeconds, so a live playlist slides with wall time and
// an archive window lists the segments of its own seconds. Each time the
// loop starts again the timestamps jump back, which EXT-X-DISCONTINUITY
// tells the player; the discontinuity sequence of segment n is n/len(loop).
// Segment URIs are relative and carry the player's query so segment
// requests join the same session.
func mediaPlaylist(pr playRequest, now int64, rawQuery string) string {
	first, count, final := playlistWindow(pr, now)
	var b strings.Builder
	fmt.Fprintf(&b, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:%d\n#EXT-X-MEDIA-SEQUENCE:%d\n#EXT-X-DISCONTINUITY-SEQUENCE:%d\n",
		segmentSeconds, first, first/int64(len(loop)))
	switch {
	case final:
		b.WriteString("#EXT-X-PLAYLIST-TYPE:VOD\n")
	case pr.dvr && !pr.ended && pr.kind == kindHLS && count > liveWindow:
		b.WriteString("#EXT-X-PLAYLIST-TYPE:EVENT\n")
	}
	suffix := ""
	if rawQuery != "" {
		suffix = "?" + rawQuery
	}
	for n := first; n < first+count; n++ {
		if n != first && n%int64(len(loop)) == 0 {
			b.WriteString("#EXT-X-DISCONTINUITY\n")
		}
		fmt.Fprintf(&b, "#EXTINF:%d.000,\ns-%d.ts%s\n", segmentSeconds, n, suffix)
	}
	if final {
		b.WriteString("#EXT-X-ENDLIST\n")
	}
	return b.String()
}

// maxEventSegments caps an open archive playlist (archive-FROM-now): a
// day of segments is more than any player seeks through.
const maxEventSegments = 24 * 3600 / segmentSeconds

// playlistWindow says which segments a playlist lists: a finished archive
// window lists its whole DURATION; an open one (archive-FROM-now,
// timeshift_abs) lists from FROM to the live edge; live and relative
// timeshift slide liveWindow segments ending at their position.
func playlistWindow(pr playRequest, now int64) (first, count int64, final bool) {
	edge := now/segmentSeconds - 1 // the newest segment already complete
	switch {
	case pr.ended:
		first = pr.from / segmentSeconds
		return first, max(1, (pr.duration+segmentSeconds-1)/segmentSeconds), true
	case pr.dvr && pr.absolute:
		first = pr.from / segmentSeconds
		first = max(first, edge-maxEventSegments+1)
		return first, max(1, edge-first+1), false
	case pr.dvr:
		edge = pr.from/segmentSeconds - 1
	}
	return edge - liveWindow + 1, liveWindow, false
}

// segmentNumber is n of an s-n.ts path.
func segmentNumber(path string) (int64, bool) {
	_, last, _ := cutLast(path)
	n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(last, "s-"), ".ts"), 10, 64)
	return n, err == nil
}

// streamMPEGTS writes the loop as one MPEG-TS answer. A finished archive
// (archive-FROM-DURATION.ts) is written whole and at once, like a download;
// live and timeshift write one loop at once (so a player starts without
// waiting) and, when MPEGTSHold is set, go on a segment every
// segmentSeconds, as a live socket does, until the session is killed, the
// player leaves, the simulator stops or the hold passes.
func (s *Simulator) streamMPEGTS(w http.ResponseWriter, r *http.Request, pr playRequest, ss *session) {
	w.Header().Set("Content-Type", "video/mp2t")
	first := pr.from / segmentSeconds
	if pr.kind == kindFile {
		for n := first; n < first+max(1, pr.duration/segmentSeconds); n++ {
			if !s.writeSegment(w, ss, n) {
				return
			}
		}
		return
	}
	n := first
	for ; n < first+int64(len(loop)); n++ {
		if !s.writeSegment(w, ss, n) {
			return
		}
	}
	rc := http.NewResponseController(w)
	rc.Flush()
	if s.opts.MPEGTSHold <= 0 {
		return
	}
	s.auth.streaming(ss, 1)
	defer s.auth.streaming(ss, -1)
	hold := time.NewTimer(s.opts.MPEGTSHold)
	defer hold.Stop()
	tick := time.NewTicker(segmentSeconds * time.Second)
	defer tick.Stop()
	for ; ; n++ {
		select {
		case <-ss.done:
			return
		case <-r.Context().Done():
			return
		case <-s.stop:
			return
		case <-hold.C:
			return
		case <-tick.C:
		}
		if !s.writeSegment(w, ss, n) || rc.Flush() != nil {
			return
		}
	}
}

// writeSegment writes segment n and counts its bytes to the session; it
// reports whether the player is still reading.
func (s *Simulator) writeSegment(w http.ResponseWriter, ss *session, n int64) bool {
	b := segment(n)
	_, err := w.Write(b)
	s.auth.addBytes(ss, len(b))
	return err == nil
}

// allowCORS lets a web player on another origin (the portal) fetch player
// URLs, as Flussonic does: any origin, the Range header, and a preflight
// answered without authorization (browsers send no token on OPTIONS).
func allowCORS(w http.ResponseWriter, r *http.Request) (preflight bool) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "Content-Length, Content-Range")
	if r.Method != http.MethodOptions {
		return false
	}
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Range, Origin, Accept, Content-Type")
	h.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
	return true
}
