package simulator

import (
	"bytes"
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
		{"/ch1/archive-1700000000-3600.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000, ended: true}},
		{"/ch1/index-1700000000-3600.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000, ended: true}},
		{"/ch1/video-1700000000-now.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000}},
		{"/ch1/tracks-1,2/index-1700000000-60.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000, ended: true}},
		{"/ch1/rewind-600.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: now - 600}},
		{"/ch1/timeshift_abs-1700000000.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000}},
		{"/ch1/video-timeshift_abs-1700000000.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: 1700000000}},
		{"/ch1/timeshift_rel-300.m3u8", playRequest{name: "ch1", proto: "hls", kind: kindHLS, dvr: true, from: now - 300}},
		{"/ch1/archive-1700000000-3600.mpd", playRequest{name: "ch1", proto: "dash", kind: kindDASH, dvr: true, from: 1700000000, ended: true}},
		{"/ch1/archive-1700000000-3600.ts", playRequest{name: "ch1", proto: "mpegts", kind: kindFile, dvr: true, from: 1700000000, ended: true}},
		{"/ch1/timeshift_abs-1700000000.ts", playRequest{name: "ch1", proto: "mpegts", kind: kindMPEGTS, dvr: true, from: 1700000000}},
		{"/ch1/timeshift_rel-60.ts", playRequest{name: "ch1", proto: "mpegts", kind: kindMPEGTS, dvr: true, from: now - 60}},
		{"/ch1/archive/1700000000/3600/mpegts", playRequest{name: "ch1", proto: "mpegts", kind: kindFile, dvr: true, from: 1700000000, ended: true}},
		{"/a/b/timeshift_abs/1700000000", playRequest{name: "a/b", proto: "mpegts", kind: kindMPEGTS, dvr: true, from: 1700000000}},
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

func TestTSPackets(t *testing.T) {
	if got := crc32MPEG2([]byte("123456789")); got != 0x0376E6E7 {
		t.Errorf("crc32MPEG2 check value: got %#x, want 0x0376e6e7", got)
	}
	b := tsPackets(3)
	if len(b) != 5*tsPacketSize {
		t.Fatalf("got %d bytes, want %d", len(b), 5*tsPacketSize)
	}
	for i := 0; i < len(b); i += tsPacketSize {
		if b[i] != 0x47 {
			t.Errorf("packet %d: sync byte %#x, want 0x47", i/tsPacketSize, b[i])
		}
	}
	// A PSI section followed by its CRC has a CRC of zero.
	pat := b[5 : 5+12+4]
	if got := crc32MPEG2(pat); got != 0 {
		t.Errorf("PAT with CRC: got residue %#x, want 0", got)
	}
	if !bytes.Equal(b[2*tsPacketSize:2*tsPacketSize+3], []byte{0x47, 0x1F, 0xFF}) {
		t.Errorf("third packet is not a null packet")
	}
}
