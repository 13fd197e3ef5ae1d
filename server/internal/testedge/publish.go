package testedge

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testtools"
)

// Publish pushes a test pattern (testsrc + sine, H.264/AAC) to the stream
// with Options.PublishKey and waits until its HLS playlist lists a segment.
// The test fails if that does not happen in time.
func (e *Edge) Publish(tb testing.TB, stream string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	if err := e.PublishWithKey(ctx, stream, e.opts.PublishKey); err != nil {
		tb.Fatalf("publish %q: %v", stream, err)
	}
}

// PublishWithKey is Publish with an explicit key and an error instead of a
// failed test, so on_publish denials can be tested. It returns once the
// playlist lists a segment, or with an error holding ffmpeg's output when
// ffmpeg gives up (as it does when on_publish denies), or when ctx ends.
// A publisher that started keeps running until Close.
func (e *Edge) PublishWithKey(ctx context.Context, stream, key string) error {
	p, err := testtools.StartProc("ffmpeg "+stream, e.ffmpegCommand(stream, key))
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.publishers = append(e.publishers, p)
	e.mu.Unlock()

	playlist := filepath.Join(e.Prefix, "hls", stream, "index.m3u8")
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile(playlist); err == nil && strings.Contains(string(b), "#EXTINF") {
			return nil
		}
		if p.Exited() {
			return fmt.Errorf("ffmpeg exited (%v)\nffmpeg output:\n%s\nerror.log:\n%s", p.Err(), p.Output(), e.ErrorLogTail(20))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no HLS playlist at %s: %w\nffmpeg output:\n%s\nerror.log:\n%s", playlist, ctx.Err(), p.Output(), e.ErrorLogTail(20))
		case <-tick.C:
		}
	}
}

// ffmpegCommand builds a light push: a small frame and a 1 s GOP, so HLS
// fragments of 1 s can be cut quickly and two cores keep up with several
// streams.
func (e *Edge) ffmpegCommand(stream, key string) *exec.Cmd {
	return exec.Command(e.tools.ffmpeg,
		"-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning",
		"-re", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
		"-re", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=44100",
		"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-keyint_min", "25", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-b:a", "64k",
		"-f", "flv", e.PublishURL(stream, key),
	)
}
