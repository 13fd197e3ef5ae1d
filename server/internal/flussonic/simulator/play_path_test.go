package simulator

import (
	"testing"
)

func TestParsePlayPath(t *testing.T) {
	const now = 1700001000
	tests := []struct {
		path string
		want playRequest
	}{
		{"/ch1/index.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS}},
		{"/ch1/playlist.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS}},
		{"/sports/hd/mono.m3u8", playRequest{name: "sports/hd", proto: "hls", kind: kindHLS}},
		{"/ch1/tracks-v1a1/mono.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS}},
		{"/ch1/index.ll.m3u8", playRequest{name: "ch1", proto: "llhls", kind: kindHLS}},
		{"/ch1/Manifest.mpd", playRequest{name: "ch1", proto: "dash", kind: kindDASH}},
		{"/ch1/mpegts", playRequest{name: "ch1", proto: "mpegts", kind: kindMPEGTS}},
		{"/ch1/s-12.ts", playRequest{name: "ch1", proto: "hls", kind: kindTS}},
		{"/ch1/archive-1700000000-3600.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000, ended: true, duration: 3600, absolute: true}},
		{"/ch1/index-1700000000-3600.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000, ended: true, duration: 3600, absolute: true}},
		{"/ch1/video-1700000000-now.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000, absolute: true}},
		{"/ch1/tracks-1,2/index-1700000000-60.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000, ended: true, duration: 60, absolute: true}},
		{"/ch1/rewind-600.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: now - 600}},
		{"/ch1/timeshift_abs-1700000000.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000, absolute: true}},
		{"/ch1/video-timeshift_abs-1700000000.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000, absolute: true}},
		{"/ch1/timeshift_rel-300.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: now - 300}},
		{"/ch1/archive-1700000000-3600.mpd", playRequest{name: "ch1", proto: "dash", kind: kindDASH, dvr: true, from: 1700000000, ended: true, duration: 3600, absolute: true}},
		{"/ch1/archive-1700000000-3600.ts", playRequest{name: "ch1", proto: "mpegts", kind: kindFile, dvr: true, from: 1700000000, ended: true, duration: 3600, absolute: true}},
		{"/ch1/timeshift_abs-1700000000.ts", playRequest{name: "ch1", proto: "mpegts", kind: kindMPEGTS, dvr: true, from: 1700000000, absolute: true}},
		{"/ch1/timeshift_rel-60.ts", playRequest{name: "ch1", proto: "mpegts", kind: kindMPEGTS, dvr: true, from: now - 60}},
		{"/ch1/archive/1700000000/3600/mpegts", playRequest{name: "ch1", proto: "mpegts", kind: kindFile, dvr: true, from: 1700000000, ended: true, duration: 3600, absolute: true}},
		{"/a/b/timeshift_abs/1700000000", playRequest{name: "a/b", proto: "mpegts", kind: kindMPEGTS, dvr: true, from: 1700000000, absolute: true}},
		{"/a/b/timeshift_rel/30", playRequest{name: "a/b", proto: "mpegts", kind: kindMPEGTS, dvr: true, from: now - 30}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, ok := parsePlayPath(tt.path, now)
			if !ok || got != tt.want {
				t.Errorf("got %+v, %v; want %+v, true", got, ok, tt.want)
			}
		})
	}
	for _, bad := range []string{"/index.m3u8", "/ch1/nothing.txt", "/", "/ch1/archive-x-1.m3u8"} {
		if got, ok := parsePlayPath(bad, now); ok {
			t.Errorf("%s: got %+v, want no match", bad, got)
		}
	}
}
