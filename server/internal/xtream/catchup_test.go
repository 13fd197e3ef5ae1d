package xtream_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"
)

// TestCatchupWindow opens every timeshift URL form apps send (xtream.md
// §1.3, enigma2.md §4.6) inside and outside channel 1's DVR depth of 3
// days, which ends at now (2025-03-01 12:00 UTC): inside, a 302 to the
// balancer's Flussonic archive URL of exactly that window; before the
// depth, in the future, or on a channel without DVR, 404 as XC answers.
func TestCatchupWindow(t *testing.T) {
	srv := newServer(t)
	p := "alice/" + password
	query := func(path string, v url.Values) string {
		v.Set("username", "alice")
		v.Set("password", password)
		return path + "?" + v.Encode()
	}
	edge := now.Add(-3 * 24 * time.Hour) // the oldest start the archive holds
	archive := func(from time.Time, secs int, ext string) string {
		return "https://tv.example.net/ch1/archive-" + strconv.FormatInt(from.Unix(), 10) + "-" + strconv.Itoa(secs) +
			"." + ext + "?token=tok-alice"
	}
	at10 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name, path string
		wantStatus int
		wantTarget string
	}{
		{"path form", "/timeshift/" + p + "/60/2025-03-01:10-00/1.ts", 302, archive(at10, 3600, "ts")},
		{"path form with seconds", "/timeshift/" + p + "/45/2025-03-01:10-00-00/1.ts", 302, archive(at10, 2700, "ts")},
		{"path form underscore", "/timeshift/" + p + "/60/2025-03-01_10-00/1.ts", 302, archive(at10, 3600, "ts")},
		{"path form colons", "/timeshift/" + p + "/60/2025-03-01:10:00/1.ts", 302, archive(at10, 3600, "ts")},
		{"path form HLS", "/timeshift/" + p + "/60/2025-03-01:10-00/1.m3u8", 302, archive(at10, 3600, "m3u8")},
		{"path form unix start", "/timeshift/" + p + "/60/" + strconv.FormatInt(at10.Unix(), 10) + "/1.ts", 302,
			archive(at10, 3600, "ts")},
		{"streaming/timeshift.php", query("/streaming/timeshift.php", url.Values{"stream": {"1"},
			"start": {"2025-03-01:10-00"}, "duration": {"60"}}), 302, archive(at10, 3600, "ts")},
		{"timeshift.php", query("/timeshift.php", url.Values{"stream": {"1.ts"}, "start": {"2025-03-01:10-00"},
			"duration": {"60"}}), 302, archive(at10, 3600, "ts")},
		{"timeshift.php HLS", query("/timeshift.php", url.Values{"stream": {"1.m3u8"}, "start": {"2025-03-01:10-00"},
			"duration": {"30"}}), 302, archive(at10, 1800, "m3u8")},
		{"oldest minute held", "/timeshift/" + p + "/60/2025-02-26:12-00/1.ts", 302, archive(edge, 3600, "ts")},
		{"a minute past the depth", "/timeshift/" + p + "/60/2025-02-26:11-59/1.ts", 404, ""},
		{"a week ago", query("/timeshift.php", url.Values{"stream": {"1"}, "start": {"2025-02-22:10-00"},
			"duration": {"60"}}), 404, ""},
		{"in the future", "/timeshift/" + p + "/60/2025-03-01:12-01/1.ts", 404, ""},
		{"channel without DVR", "/timeshift/" + p + "/60/2025-03-01:10-00/2.ts", 404, ""},
		{"channel outside the packages", "/timeshift/" + p + "/60/2025-03-01:10-00/3.ts", 404, ""},
		{"wrong password", "/timeshift/alice/wrong/60/2025-03-01:10-00/1.ts", 403, ""},
		{"expired account", "/timeshift/dave/" + password + "/60/2025-03-01:10-00/1.ts", 403, ""},
		{"wrong password, query form", "/timeshift.php?username=alice&password=wrong&stream=1&start=2025-03-01:10-00&duration=60",
			403, ""},
		{"no duration", "/timeshift/" + p + "/0/2025-03-01:10-00/1.ts", 400, ""},
		{"bad start", query("/timeshift.php", url.Values{"stream": {"1"}, "start": {"noon"}, "duration": {"60"}}), 400, ""},
		{"RTMP is not offered", "/timeshift/" + p + "/60/2025-03-01:10-00/1.rtmp", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, srv.URL+tt.path)
			if res.StatusCode != tt.wantStatus || res.Header.Get("Location") != tt.wantTarget {
				t.Errorf("%s: %d to %q (%q), want %d to %q", tt.path, res.StatusCode, res.Header.Get("Location"), body,
					tt.wantStatus, tt.wantTarget)
			}
		})
	}
}
