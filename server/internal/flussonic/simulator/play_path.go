package simulator

import (
	"regexp"
	"strconv"
	"strings"
)

// Kinds of player answer.
const (
	kindHLS    = "hls"    // a media playlist
	kindDASH   = "dash"   // an MPD
	kindTS     = "ts"     // one HLS segment
	kindMPEGTS = "mpegts" // an endless HTTP MPEG-TS answer
	kindFile   = "file"   // a finite archive download
)

// playRequest is what a player URL asks for (specs/flussonic.md §4).
type playRequest struct {
	name  string
	proto string // as sent to the auth backend
	kind  string
	dvr   bool
	from  int64 // UTC seconds of the DVR position, 0 for live
	ended bool  // a finite window (archive-FROM-DURATION)
	// duration is the seconds of a finite window; absolute marks a
	// position that stays put (archive-FROM-now, timeshift_abs) rather than
	// moving with the clock (rewind, timeshift_rel).
	duration int64
	absolute bool
}

type playPattern struct {
	re    *regexp.Regexp
	proto string
	kind  string
	// position turns the submatches into the request's DVR fields.
	position func(m []string, now int64) playRequest
}

func live(_ []string, _ int64) playRequest { return playRequest{} }

// window is archive-FROM-DURATION (DURATION may be "now": an event playlist).
func window(m []string, _ int64) playRequest {
	from, _ := strconv.ParseInt(m[1], 10, 64)
	if m[2] == "now" {
		return playRequest{dvr: true, from: from, absolute: true}
	}
	duration, _ := strconv.ParseInt(m[2], 10, 64)
	return playRequest{dvr: true, from: from, ended: true, duration: duration, absolute: true}
}

func absolute(m []string, _ int64) playRequest {
	from, _ := strconv.ParseInt(m[1], 10, 64)
	return playRequest{dvr: true, from: from, absolute: true}
}

func relative(m []string, now int64) playRequest {
	ago, _ := strconv.ParseInt(m[1], 10, 64)
	return playRequest{dvr: true, from: now - ago}
}

// lastSegmentPatterns match the final path segment; the rest is the name.
var lastSegmentPatterns = []playPattern{
	{regexp.MustCompile(`^(?:index|playlist|mono|video)\.m3u8$`), "hls", kindHLS, live},
	{regexp.MustCompile(`^index\.ll\.m3u8$`), "llhls", kindHLS, live},
	{regexp.MustCompile(`^(?:archive|index|video|mono)-(\d+)-(\d+|now)\.m3u8$`), "hls", kindHLS, window},
	{regexp.MustCompile(`^rewind-(\d+)\.m3u8$`), "hls", kindHLS, relative},
	{regexp.MustCompile(`^(?:video-)?timeshift_abs(?:_mono)?-(\d+)\.m3u8$`), "hls", kindHLS, absolute},
	{regexp.MustCompile(`^timeshift_rel-(\d+)\.m3u8$`), "hls", kindHLS, relative},
	{regexp.MustCompile(`^s-\d+\.ts$`), "hls", kindTS, live}, // the simulator's own segments
	{regexp.MustCompile(`^Manifest\.mpd$`), "dash", kindDASH, live},
	{regexp.MustCompile(`^archive-(\d+)-(\d+|now)\.mpd$`), "dash", kindDASH, window},
	{regexp.MustCompile(`^rewind-(\d+)\.mpd$`), "dash", kindDASH, relative},
	{regexp.MustCompile(`^timeshift_abs-(\d+)\.mpd$`), "dash", kindDASH, absolute},
	{regexp.MustCompile(`^mpegts$`), "mpegts", kindMPEGTS, live},
	{regexp.MustCompile(`^archive-(\d+)-(\d+)\.(?:ts|mp4)$`), "mpegts", kindFile, window},
	{regexp.MustCompile(`^timeshift_abs-(\d+)\.ts$`), "mpegts", kindMPEGTS, absolute},
	{regexp.MustCompile(`^timeshift_rel-(\d+)\.ts$`), "mpegts", kindMPEGTS, relative},
}

// tailPatterns match the legacy multi-segment forms at the end of the path.
var tailPatterns = []playPattern{
	{regexp.MustCompile(`/archive/(\d+)/(\d+)/mpegts$`), "mpegts", kindFile, window},
	{regexp.MustCompile(`/timeshift_abs/(\d+)$`), "mpegts", kindMPEGTS, absolute},
	{regexp.MustCompile(`/timeshift_rel/(\d+)$`), "mpegts", kindMPEGTS, relative},
}

var tracksSegment = regexp.MustCompile(`^tracks-[^/]+$`)

// parsePlayPath splits a player path into stream name and request; now is
// UTC seconds, used by relative forms.
func parsePlayPath(path string, now int64) (playRequest, bool) {
	path = "/" + strings.Trim(path, "/")
	for _, p := range tailPatterns {
		if loc := p.re.FindStringSubmatchIndex(path); loc != nil {
			m := p.re.FindStringSubmatch(path)
			return build(path[1:loc[0]], p, m, now)
		}
	}
	dir, last, ok := cutLast(path[1:])
	if !ok {
		return playRequest{}, false
	}
	if d, t, ok := cutLast(dir); ok && tracksSegment.MatchString(t) {
		dir = d // /NAME/tracks-v1a1/mono.m3u8
	}
	for _, p := range lastSegmentPatterns {
		if m := p.re.FindStringSubmatch(last); m != nil {
			return build(dir, p, m, now)
		}
	}
	return playRequest{}, false
}

func build(name string, p playPattern, m []string, now int64) (playRequest, bool) {
	if name == "" {
		return playRequest{}, false
	}
	pr := p.position(m, now)
	pr.name, pr.proto, pr.kind = name, p.proto, p.kind
	return pr, true
}

func cutLast(p string) (head, tail string, ok bool) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", "", false
	}
	return p[:i], p[i+1:], true
}
