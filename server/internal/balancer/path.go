package balancer

import (
	"regexp"
	"strings"
)

// playTail matches what follows the stream name in a player URL
// (specs/flussonic.md §4): live, catch-up, event, rewind, timeshift,
// thumbnails and the JSON manifests, for HLS, DASH, MPEG-TS and MP4.
var playTail = regexp.MustCompile(`^(?:tracks-[A-Za-z0-9,]+/)?(?:` + strings.Join([]string{
	`(?:index|playlist|mono|video)(?:\.ll)?\.m3u8`,
	`Manifest\.mpd`, `index\.mpd`, `mpegts`, `whep`,
	`(?:archive|index|video|mono)-\d+-(?:\d+|now)\.(?:m3u8|mpd|ts|mp4|json)`,
	`archive/\d+/\d+/mpegts`,
	`rewind-\d+\.(?:m3u8|mpd|json)`,
	`(?:video-)?timeshift_abs(?:_mono)?-\d+\.(?:m3u8|mpd|ts|json)`,
	`timeshift_abs/\d+`,
	`timeshift_rel-\d+\.(?:m3u8|ts|json)`,
	`timeshift_rel/\d+`,
	`preview\.(?:jpg|mp4)`, `\d+(?:-preview)?\.(?:jpg|mp4)`,
	`(?:media_info|recording_status|info|index)\.json`,
}, "|") + `)$`)

// commonTails are the live playback tails, matched without the regexp.
var commonTails = map[string]bool{"index.m3u8": true, "mpegts": true, "playlist.m3u8": true,
	"video.m3u8": true, "mono.m3u8": true, "index.mpd": true, "Manifest.mpd": true}

// streamName returns the stream a player path asks for: the part before a
// recognised playback tail. Names may contain slashes (§4); the shortest
// name that leaves a playback tail wins. MSS (/NAME.ism/manifest) is
// recognised too.
func streamName(path string) (string, bool) {
	p := strings.TrimPrefix(path, "/")
	if name, ok := strings.CutSuffix(p, ".ism/manifest"); ok && name != "" {
		return name, true
	}
	// Fast path for the live URLs nearly every viewer asks for: the same
	// answer the loop below gives at its first slash, without the regexp.
	if i := strings.IndexByte(p, '/'); i > 0 && commonTails[p[i+1:]] {
		return p[:i], true
	}
	for i := 0; i < len(p); i++ {
		if p[i] != '/' || i == 0 {
			continue
		}
		if playTail.MatchString(p[i+1:]) {
			return p[:i], true
		}
	}
	return "", false
}
