package api

import "strings"

// knownPlayers are user-agent tokens of players and their names for
// people, most specific first: Kodi and many set-top boxes also send
// "Linux" or "Android", and Chrome-based agents also say "Safari".
var knownPlayers = []struct{ token, name string }{
	{"kodi", "Kodi"}, {"vlc", "VLC"}, {"tivimate", "TiviMate"}, {"iptv smarters", "IPTV Smarters"},
	{"perfect player", "Perfect Player"}, {"ott navigator", "OTT Navigator"}, {"mag", "MAG box"},
	{"exoplayer", "ExoPlayer (Android)"}, {"lavf", "ffmpeg"}, {"mpv", "mpv"}, {"gstreamer", "GStreamer"},
	{"applecoremedia", "Apple player"}, {"appletv", "Apple TV"}, {"smart-tv", "Smart TV"}, {"smarttv", "Smart TV"},
	{"web0s", "LG TV"}, {"tizen", "Samsung TV"}, {"edg/", "Edge"}, {"firefox/", "Firefox"},
	{"chrome/", "Chrome"}, {"safari/", "Safari"},
}

// PlayerName turns a user agent into the player's name, with the version
// when the agent carries one after the name ("VLC 3.0.20"); an agent it
// does not know is shown as its first word, an empty one as "unknown".
func PlayerName(userAgent string) string {
	ua := strings.TrimSpace(userAgent)
	if ua == "" {
		return "unknown"
	}
	lower := strings.ToLower(ua)
	for _, p := range knownPlayers {
		i := strings.Index(lower, p.token)
		if i < 0 || (p.token == "mag" && !strings.Contains(lower, "mag2")) {
			continue
		}
		if v := versionAfter(ua[i+len(p.token):]); v != "" {
			return p.name + " " + v
		}
		return p.name
	}
	first, _, _ := strings.Cut(ua, " ")
	return first
}

// versionAfter reads a version such as "/3.0.20" or " 3.0" at the start of
// s, up to its third number.
func versionAfter(s string) string {
	s = strings.TrimLeft(s, "/ ")
	end, dots := 0, 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' && dots < 2) {
		if s[end] == '.' {
			dots++
		}
		end++
	}
	return strings.TrimRight(s[:end], ".")
}
