package testedge

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
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
