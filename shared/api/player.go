package api

import (
	"regexp"
	"strings"
)

// Player names the app and the system behind a user agent the way people
// say them ("VLC 3.0 on Linux", "Chrome on Android") for the portal's
// account page and the desktop's sessions. IPTV players send short, stable
// product tokens and browsers the well-known Mozilla/5.0 form, so a small
// ordered table covers what a middleware sees; anything else is named by
// its first product token.
type Player struct {
	App    string // "VLC 3.0", "Kodi 21", "Chrome"; "" when unknown
	System string // "Linux", "Android TV"; "" when the agent does not say
}

// uaApp is a player or browser: the first whose pattern matches names the
// user agent; group 1, when the pattern has one, is its version.
type uaApp struct {
	name    string
	pattern *regexp.Regexp
}

var uaApps = []uaApp{
	{"VLC", regexp.MustCompile(`(?i)\bVLC(?:/| media player )(\d+\.\d+)`)},
	{"VLC", regexp.MustCompile(`(?i)\bLibVLC/(\d+\.\d+)`)},
	{"Kodi", regexp.MustCompile(`\bKodi/(\d+)`)},
	{"TiviMate", regexp.MustCompile(`(?i)\bTiviMate/(\d+\.\d+)`)},
	{"IPTV Smarters", regexp.MustCompile(`(?i)\bIPTV ?Smarters`)},
	{"OTT Navigator", regexp.MustCompile(`(?i)\bOTT ?Navigator`)},
	{"Perfect Player", regexp.MustCompile(`(?i)\bPerfect ?Player`)},
	{"Plex", regexp.MustCompile(`(?i)\bPlex`)},
	{"Jellyfin", regexp.MustCompile(`(?i)\bJellyfin`)},
	{"Emby", regexp.MustCompile(`(?i)\bEmby`)},
	{"MAG set-top box", regexp.MustCompile(`\bMAG\d+|\bstbapp\b`)},
	{"mpv", regexp.MustCompile(`\bmpv (\d+\.\d+)`)},
	{"FFmpeg", regexp.MustCompile(`\bLavf/`)},
	{"GStreamer", regexp.MustCompile(`(?i)\bGStreamer`)},
	{"Apple player", regexp.MustCompile(`\bAppleCoreMedia/`)},
	{"ExoPlayer", regexp.MustCompile(`\bExoPlayer`)},
	{"Samsung Internet", regexp.MustCompile(`\bSamsungBrowser/`)},
	{"Edge", regexp.MustCompile(`\bEdg(?:e|A|iOS)?/`)},
	{"Opera", regexp.MustCompile(`\bOPR/`)},
	{"Firefox", regexp.MustCompile(`\b(?:Firefox|FxiOS)/`)},
	{"Chrome", regexp.MustCompile(`\b(?:Chrome|CriOS|HeadlessChrome)/`)},
	{"Safari", regexp.MustCompile(`\bVersion/[\d.]+ (?:Mobile/\S+ )?Safari/`)},
}

// uaSystems are operating systems, most specific first (Android says
// Linux, iOS says Mac OS X).
var uaSystems = []struct {
	name    string
	pattern *regexp.Regexp
}{
	{"Android TV", regexp.MustCompile(`(?i)Android TV|\bAFT\w+ Build|BRAVIA`)},
	{"Android", regexp.MustCompile(`Android`)},
	{"iOS", regexp.MustCompile(`iPhone|iPad|iPod|\biOS\b`)},
	{"tvOS", regexp.MustCompile(`tvOS|AppleTV`)},
	{"Tizen", regexp.MustCompile(`Tizen`)},
	{"webOS", regexp.MustCompile(`Web0S|webOS`)},
	{"ChromeOS", regexp.MustCompile(`CrOS`)},
	{"Windows", regexp.MustCompile(`Windows`)},
	{"macOS", regexp.MustCompile(`Mac OS X|Macintosh|Darwin`)},
	{"Linux", regexp.MustCompile(`Linux|X11`)},
}

var firstProduct = regexp.MustCompile(`^([A-Za-z][\w .-]{0,30}?)(?:/|\s|$)`)

// ParsePlayer reads a user agent into its Player.
func ParsePlayer(ua string) Player {
	ua = strings.TrimSpace(ua)
	var p Player
	for _, a := range uaApps {
		if m := a.pattern.FindStringSubmatch(ua); m != nil {
			p.App = a.name
			if len(m) > 1 && m[1] != "" {
				p.App += " " + m[1]
			}
			break
		}
	}
	if p.App == "" {
		if m := firstProduct.FindStringSubmatch(ua); m != nil && !strings.EqualFold(m[1], "Mozilla") {
			p.App = m[1]
		}
	}
	if p.App == "" {
		return p
	}
	for _, s := range uaSystems {
		if s.pattern.MatchString(ua) {
			p.System = s.name
			break
		}
	}
	return p
}

// PlayerName is a user agent's Player in English: "VLC 3.0 on Linux", the
// app alone when the system is unknown, "unknown" when the app is.
func PlayerName(ua string) string {
	p := ParsePlayer(ua)
	switch {
	case p.App == "":
		return "unknown"
	case p.System == "":
		return p.App
	}
	return p.App + " on " + p.System
}
