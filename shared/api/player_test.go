package api

import "testing"

func TestPlayerName(t *testing.T) {
	for _, tc := range []struct{ name, ua, want string }{
		{"empty", "", "unknown"},
		{"VLC", "VLC/3.0.20 LibVLC/3.0.20", "VLC 3.0.20"},
		{"Kodi on Linux", "Kodi/20.2 (X11; Linux x86_64) App_Bitness/64 Version/20.2-(20.2.0)-Git:20230629-5f418d0b13", "Kodi 20.2"},
		{"TiviMate", "TiviMate/4.7.0 (Android 11)", "TiviMate 4.7.0"},
		{"ffmpeg", "Lavf/60.3.100", "ffmpeg 60.3.100"},
		{"Chrome", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome 120.0.0"},
		{"Safari", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Safari 605.1.15"},
		{"MAG box", "Mozilla/5.0 (QtEmbedded; U; Linux; C) AppleWebKit/533.3 (KHTML, like Gecko) MAG200 stbapp ver: 2 rev: 250 Safari/533.3", "MAG box 200"},
		{"unknown", "TestPlayer/1.0 extra", "TestPlayer/1.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PlayerName(tc.ua); got != tc.want {
				t.Errorf("PlayerName(%q) = %q, want %q", tc.ua, got, tc.want)
			}
		})
	}
}
