package portal

import "canale/shared/api"

// playerName names the app and system behind a user agent in the page's
// language: "VLC 3.0 on Linux", "Kodi 21 on Android", "Chrome on Android".
func playerName(t func(string, ...any) string, ua string) string {
	p := api.ParsePlayer(ua)
	switch {
	case p.App == "":
		return t("Unknown player")
	case p.System == "":
		return p.App
	}
	return t("%s on %s", p.App, p.System)
}
