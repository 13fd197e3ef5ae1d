package simulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/testtools"
)

var mediaSequence = regexp.MustCompile(`(?m)^#EXT-X-MEDIA-SEQUENCE:(\d+)$`)

// TestLivePlaylistSlides follows a live playlist over wall time: the media
// sequence advances a segment every two seconds, the loop's restart is
// marked as a discontinuity, and every listed segment is real MPEG-TS.
func TestLivePlaylistSlides(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1700000000, 0)}
	sim := start(t, simulator.Options{Now: clock.Now, Streams: []simulator.Stream{{Name: "ch1", Alive: true}}})

	status, first, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=t1")
	if status != http.StatusOK {
		t.Fatalf("live playlist: %d %s", status, first)
	}
	clock.Advance(2 * time.Second)
	_, second, _ := play(t, sim.URL(), "/ch1/index.m3u8?token=t1")
	seq := func(p string) int {
		m := mediaSequence.FindStringSubmatch(p)
		if m == nil {
			t.Fatalf("no media sequence in %q", p)
		}
		var n int
		fmt.Sscan(m[1], &n)
		return n
	}
	if seq(second) != seq(first)+1 {
		t.Errorf("media sequence went %d -> %d over 2 s, want +1:\n%s\n%s", seq(first), seq(second), first, second)
	}
	if !strings.Contains(first, "#EXT-X-DISCONTINUITY\n") || strings.Contains(first, "#EXT-X-ENDLIST") {
		t.Errorf("a 5-segment live window over a 3-segment loop has a discontinuity and no end:\n%s", first)
	}
	if !strings.Contains(first, "#EXT-X-DISCONTINUITY-SEQUENCE:") {
		t.Errorf("no discontinuity sequence:\n%s", first)
	}
	var sizes []int
	for _, line := range strings.Split(first, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !strings.HasSuffix(line, "?token=t1") {
			t.Errorf("segment %q does not carry the player's token", line)
		}
		status, body, _ := play(t, sim.URL(), "/ch1/"+line)
		if status != http.StatusOK || len(body) < 10_000 || len(body)%188 != 0 || body[0] != 0x47 {
			t.Fatalf("segment %s: %d, %d bytes; want 200 and whole TS packets", line, status, len(body))
		}
		sizes = append(sizes, len(body))
	}
	if len(sizes) != 5 || sizes[0] != sizes[3] || sizes[0] == sizes[1] {
		t.Errorf("segment sizes %v, want 5 segments looping every 3", sizes)
	}
}

// TestArchivePlaylist lists a finished catch-up window whole: one segment
// per two seconds of it, starting at its own second, and an end.
func TestArchivePlaylist(t *testing.T) {
	sim := start(t, simulator.Options{Streams: []simulator.Stream{{Name: "ch1", Alive: true}}})
	status, body, _ := play(t, sim.URL(), "/ch1/archive-1700000000-60.m3u8?token=t1")
	if status != http.StatusOK || !strings.Contains(body, "#EXT-X-MEDIA-SEQUENCE:850000000\n") ||
		strings.Count(body, "#EXTINF:2.000,") != 30 || !strings.HasSuffix(body, "#EXT-X-ENDLIST\n") ||
		!strings.Contains(body, "#EXT-X-PLAYLIST-TYPE:VOD\n") {
		t.Errorf("archive playlist: %d\n%s", status, body)
	}
	status, body, _ = play(t, sim.URL(), "/ch1/archive-1700000000-6.ts?token=t1")
	if status != http.StatusOK || len(body) < 30_000 || len(body)%188 != 0 {
		t.Errorf("archive download: %d, %d bytes", status, len(body))
	}
}

// TestPlayerCORS: a web player on the portal's origin may fetch playlists
// and segments, and its preflight is answered without a token.
func TestPlayerCORS(t *testing.T) {
	sim := start(t, simulator.Options{NoAutoToken: true, Streams: []simulator.Stream{{Name: "ch1", Alive: true}}})
	req, _ := http.NewRequest(http.MethodOptions, sim.URL()+"/ch1/index.m3u8", nil)
	req.Header.Set("Origin", "http://portal.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "range")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Range") ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "GET") {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	for _, p := range []string{"/ch1/index.m3u8?token=t1", "/ch1/s-7.ts?token=t1", "/ch1/index.m3u8"} {
		resp, err := http.Get(sim.URL() + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: %d without Access-Control-Allow-Origin", p, resp.StatusCode)
		}
	}
}

// TestFFprobeReadsStream has ffprobe, a client someone else wrote, read the
// live HLS, the HTTP MPEG-TS and a catch-up URL and find H.264 and AAC.
func TestFFprobeReadsStream(t *testing.T) {
	ffprobe, err := testtools.Look("ffprobe")
	if err != nil {
		testtools.Missing(t, "ffprobe not found", "apt-get install ffmpeg")
	}
	sim := start(t, simulator.Options{MPEGTSHold: time.Minute, Streams: []simulator.Stream{{Name: "news/hd", Alive: true}}})
	from := time.Now().Add(-time.Hour).Unix()
	for _, p := range []string{"/news/hd/index.m3u8?token=t1", "/news/hd/mpegts?token=t1",
		fmt.Sprintf("/news/hd/archive-%d-60.m3u8?token=t1", from), fmt.Sprintf("/news/hd/archive-%d-10.ts?token=t1", from)} {
		t.Run(p, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, ffprobe, "-v", "error", "-show_entries", "stream=codec_name,codec_type",
				"-of", "json", sim.URL()+p).Output()
			if err != nil {
				t.Fatalf("ffprobe %s: %v %s", p, err, out)
			}
			var got struct {
				Streams []struct {
					CodecName string `json:"codec_name"`
				} `json:"streams"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("ffprobe output %s: %v", out, err)
			}
			var codecs []string
			for _, s := range got.Streams {
				codecs = append(codecs, s.CodecName)
			}
			if !slices.Contains(codecs, "h264") || !slices.Contains(codecs, "aac") {
				t.Errorf("ffprobe found %v, want h264 and aac", codecs)
			}
		})
	}
}

// TestArchiveWithinDepth: a stream whose config_external sets a DVR
// expiration reports it and serves catch-up within that depth only.
func TestArchiveWithinDepth(t *testing.T) {
	backend := newConfigBackend(t)
	backend.set(map[string]any{"name": "news", "static": true, "dvr": map[string]any{"root": "/storage", "expiration": 3600}},
		map[string]any{"name": "kids", "static": true})
	sim := start(t, simulator.Options{ConfigExternal: backend.srv.URL + "/cfg"})
	if st, _ := sim.Stream("news"); st.DVRDepth != time.Hour || st.DVRFrom.IsZero() {
		t.Errorf("news adopted with DVR depth %v from %v, want 1h", st.DVRDepth, st.DVRFrom)
	}
	if st, _ := sim.Stream("kids"); st.DVRDepth != 0 {
		t.Errorf("kids adopted with DVR depth %v, want none", st.DVRDepth)
	}
	now := time.Now().Unix()
	for _, tt := range []struct {
		path string
		want int
	}{
		{fmt.Sprintf("/news/archive-%d-60.m3u8?token=t", now-1800), http.StatusOK},
		{fmt.Sprintf("/news/archive-%d-60.m3u8?token=t", now-7200), http.StatusNotFound},
		{fmt.Sprintf("/news/timeshift_abs-%d.ts?token=t", now+3600), http.StatusNotFound},
		{"/news/timeshift_rel-600.m3u8?token=t", http.StatusOK},
	} {
		if status, body, _ := play(t, sim.URL(), tt.path); status != tt.want {
			t.Errorf("%s: got %d %q, want %d", tt.path, status, body, tt.want)
		}
	}
}
