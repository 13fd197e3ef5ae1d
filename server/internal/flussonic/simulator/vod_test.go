package simulator_test

import (
	"context"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/testtools"
)

// TestVODLocation serves any file under a VOD location as the test movie,
// whole or by ranges, and as a finished HLS playlist; the on_play backend
// still decides, and other paths are not files.
func TestVODLocation(t *testing.T) {
	backend := newAuthBackend(t)
	backend.set("good", allow())
	backend.set("bad", deny)
	sim := start(t, simulator.Options{AuthURL: backend.srv.URL, VODLocations: []string{"vod"}})

	status, body, _ := play(t, sim.URL(), "/vod/films/night-train.mp4?token=good")
	if status != http.StatusOK || len(body) < 50_000 || !strings.Contains(body[:64], "ftyp") {
		t.Errorf("progressive file: %d, %d bytes", status, len(body))
	}
	last := backend.questions()[len(backend.questions())-1]
	if last.Get("name") != "vod/films/night-train.mp4" || last.Get("proto") != "mp4" {
		t.Errorf("backend asked about name %q proto %q", last.Get("name"), last.Get("proto"))
	}
	req, _ := http.NewRequest(http.MethodGet, sim.URL()+"/vod/films/night-train.mp4?token=good", nil)
	req.Header.Set("Range", "bytes=100-199")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || resp.ContentLength != 100 {
		t.Errorf("range: %d, %d bytes; want 206 and 100", resp.StatusCode, resp.ContentLength)
	}
	status, body, _ = play(t, sim.URL(), "/vod/films/night-train.mp4/index.m3u8?token=good")
	if status != http.StatusOK || strings.Count(body, "#EXTINF:") != 3 || !strings.HasSuffix(body, "#EXT-X-ENDLIST\n") {
		t.Errorf("VOD playlist: %d\n%s", status, body)
	}
	if status, body, _ := play(t, sim.URL(), "/vod/films/night-train.mp4/s-1.ts?token=good"); status != http.StatusOK || body[0] != 0x47 {
		t.Errorf("VOD segment: %d", status)
	}
	if status, _, _ := play(t, sim.URL(), "/vod/films/night-train.mp4?token=bad"); status != http.StatusForbidden {
		t.Errorf("denied token: %d, want 403", status)
	}
	if status, _, _ := play(t, sim.URL(), "/films/night-train.mp4?token=good"); status != http.StatusNotFound {
		t.Errorf("outside the VOD locations: %d, want 404", status)
	}

	ffprobe, err := testtools.Look("ffprobe")
	if err != nil {
		testtools.Missing(t, "ffprobe not found", "apt-get install ffmpeg")
	}
	for _, p := range []string{"/vod/films/night-train.mp4?token=good", "/vod/films/night-train.mp4/index.m3u8?token=good"} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, ffprobe, "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", sim.URL()+p).Output()
		cancel()
		if codecs := strings.Fields(string(out)); err != nil || !slices.Contains(codecs, "h264") || !slices.Contains(codecs, "aac") {
			t.Errorf("ffprobe %s: %v, codecs %v", p, err, codecs)
		}
	}
}
