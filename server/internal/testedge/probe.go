package testedge

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Probe runs ffprobe on url, the way a player would open it. It returns nil
// when ffprobe finds a video stream, and otherwise an error holding
// ffprobe's stderr, such as "Server returned 403 Forbidden (access denied)".
func Probe(ctx context.Context, url string) error {
	ffprobe, err := lookTool("ffprobe")
	if err != nil {
		return fmt.Errorf("probe %s: %w (install with: %s)", url, err, installHint)
	}
	cmd := exec.CommandContext(ctx, ffprobe,
		"-hide_banner", "-v", "error", "-rw_timeout", "5000000",
		"-show_entries", "stream=codec_type", "-of", "csv=p=0", url)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if err != nil {
		return fmt.Errorf("probe %s: %w: %s", url, err, strings.TrimSpace(stderr.String()))
	}
	for _, line := range strings.Fields(stdout.String()) {
		if line == "video" {
			return nil
		}
	}
	return fmt.Errorf("probe %s: no video stream (streams: %q): %s", url, stdout.String(), strings.TrimSpace(stderr.String()))
}

// Watch plays url with ffmpeg for at most d, as a viewer who stays would,
// and says for how long it played. err is ffmpeg's failure (a refusal, say);
// a stream cut off (by a 403 to nginx-rtmp's on_update) may end without one,
// so callers look at played too.
func Watch(ctx context.Context, url string, d time.Duration) (played time.Duration, err error) {
	ffmpeg, err := lookTool("ffmpeg")
	if err != nil {
		return 0, fmt.Errorf("watch %s: %w (install with: %s)", url, err, installHint)
	}
	cmd := exec.CommandContext(ctx, ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-rw_timeout", "5000000",
		"-i", url, "-t", strconv.FormatFloat(d.Seconds(), 'f', 3, 64), "-f", "null", "-")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	played = time.Since(start)
	if err != nil {
		return played, fmt.Errorf("watch %s: %w: %s", url, err, strings.TrimSpace(stderr.String()))
	}
	return played, nil
}
