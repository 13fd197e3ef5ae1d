package portal

import (
	"regexp"
	"strings"
)

// The account page names players and browsers the way a subscriber would
// ("VLC 3.0 on Linux", "Chrome on Android") instead of showing raw
// user-agent strings. IPTV players send short, stable product tokens, and
// browsers the well-known Mozilla/5.0 form, so a small ordered table covers
// what the portal sees; anything else shows its first product name.

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

// playerName names the app and system behind a user agent, in the page's
// language: "VLC 3.0 on Linux", "Kodi 21 on Android", "Chrome on Android".
func playerName(t func(string, ...any) string, ua string) string {
	ua = strings.TrimSpace(ua)
	if ua == "" {
		return t("Unknown player")
	}
	app := ""
	for _, a := range uaApps {
		m := a.pattern.FindStringSubmatch(ua)
		if m == nil {
			continue
		}
		app = a.name
		if len(m) > 1 && m[1] != "" {
			app += " " + m[1]
		}
		break
	}
	if app == "" {
		m := firstProduct.FindStringSubmatch(ua)
		if m == nil || strings.EqualFold(m[1], "Mozilla") {
			return t("Unknown player")
		}
		app = m[1]
	}
	for _, s := range uaSystems {
		if s.pattern.MatchString(ua) {
			return t("%s on %s", app, s.name)
		}
	}
	return app
}
