package playlist

import (
	"net/url"
	"strings"
)

// Format is the transport of the live URL a playlist points players at.
type Format int

const (
	// FormatHLS is Flussonic's /NAME/index.m3u8.
	FormatHLS Format = iota
	// FormatTS is Flussonic's /NAME/mpegts (HTTP MPEG-TS).
	FormatTS
)

// String returns the name used in query parameters and test names.
func (f Format) String() string {
	if f == FormatTS {
		return "ts"
	}
	return "hls"
}

// FlussonicURLs returns the live URL and the catch-up template of stream name on the edge
// whose base URL is edge (e.g. "https://edge1.example.net"), with the token as ?token=
// (flussonic.md §4).
//
// For HLS the template is the fixed-window `archive-{utc}-{duration}.m3u8`, which plays a
// programme as a terminating, seekable window in Kodi (spec §2.2). For MPEG-TS it is empty:
// the only fixed-window TS form is a single long download, so TS channels use Kodi's
// `flussonic-ts` mode, which derives `timeshift_abs-${start}.ts` from the live URL.
func FlussonicURLs(edge, name, token string, f Format) (live, catchup string) {
	base := strings.TrimRight(edge, "/") + "/" + escapeStreamName(name) + "/"
	q := ""
	if token != "" {
		q = "?token=" + url.QueryEscape(token)
	}
	if f == FormatTS {
		return base + "mpegts" + q, ""
	}
	return base + "index.m3u8" + q, base + "archive-{utc}-{duration}.m3u8" + q
}

// escapeStreamName escapes each segment of a Flussonic stream name, which may contain '/'.
func escapeStreamName(name string) string {
	parts := strings.Split(strings.Trim(name, "/"), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}
