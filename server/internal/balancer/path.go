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

// streamName returns the stream a player path asks for: the part before a
// recognised playback tail. Names may contain slashes (§4); the shortest
// name that leaves a playback tail wins. MSS (/NAME.ism/manifest) is
// recognised too.
func streamName(path string) (string, bool) {
	p := strings.TrimPrefix(path, "/")
	if name, ok := strings.CutSuffix(p, ".ism/manifest"); ok && name != "" {
		return name, true
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
