package api

import "testing"

func TestPlayerName(t *testing.T) {
	for ua, want := range map[string]string{
		"VLC/3.0.20 LibVLC/3.0.20":                     "VLC 3.0",
		"VLC/3.0.18 LibVLC/3.0.18 (X11; Linux x86_64)": "VLC 3.0 on Linux",
		"Kodi/21.0 (Linux; Android 11.0; BRAVIA 4K) Android/11.0.0 Sys_CPU/armv8l App_Bitness/32 Version/21.0-(21.0.0)-Git:20240406-0d8e8bf5f3":   "Kodi 21 on Android TV",
		"Kodi/20.2 (X11; Linux x86_64) Ubuntu/22.04 App_Bitness/64 Version/20.2-(20.2.0)-Git:20230629-5f418d0b13":                                 "Kodi 20 on Linux",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36":              "Chrome on Android",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1": "Safari on iOS",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91":       "Edge on Windows",
		"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0":                                                                  "Firefox on Linux",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15":                   "Safari on macOS",
		"Mozilla/5.0 (QtEmbedded; U; Linux; C) AppleWebKit/533.3 (KHTML, like Gecko) MAG200 stbapp ver: 2 rev: 250 Safari/533.3":                  "MAG set-top box on Linux",
		"TiviMate/4.7.0 (Android 11)": "TiviMate 4.7 on Android",
		"Lavf/60.16.100":              "FFmpeg",
		"GStreamer souphttpsrc 1.22":  "GStreamer",
		"AppleCoreMedia/1.0.0.21C62 (iPhone; U; CPU OS 17_2 like Mac OS X; en_us)": "Apple player on iOS",
		"curl/8.5.0":  "curl",
		"":            "unknown",
		"Mozilla/5.0": "unknown",
	} {
		if got := PlayerName(ua); got != want {
			t.Errorf("PlayerName(%q) = %q, want %q", ua, got, want)
		}
	}
}
