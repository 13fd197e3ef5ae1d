package testedge_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"canale/server/internal/testedge"
)

// stopTB records how a harness stopped a test: Skip or Fatal. Both end the
// calling goroutine, as the real ones do.
type stopTB struct {
	testing.TB
	how, msg string
}

func (s *stopTB) Skip(args ...any)            { s.stop("skip", fmt.Sprint(args...)) }
func (s *stopTB) Skipf(f string, args ...any) { s.stop("skip", fmt.Sprintf(f, args...)) }
func (s *stopTB) Fatal(args ...any)           { s.stop("fatal", fmt.Sprint(args...)) }
func (s *stopTB) Fatalf(f string, a ...any)   { s.stop("fatal", fmt.Sprintf(f, a...)) }

func (s *stopTB) stop(how, msg string) {
	s.how, s.msg = how, msg
	runtime.Goexit()
}

// TestMissingToolsSkipOrFail hides ffmpeg (PATH is empty; nginx is still
// found in /usr/sbin) and checks that Start skips, or fails under CI=true,
// naming the apt-get command.
func TestMissingToolsSkipOrFail(t *testing.T) {
	for _, tt := range []struct {
		ci, want string
	}{
		{"", "skip"},
		{"true", "fatal"},
	} {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			t.Setenv("PATH", t.TempDir())
			t.Setenv("CI", tt.ci)
			tb := &stopTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				testedge.Start(tb, testedge.Options{})
			}()
			<-done
			if tb.how != tt.want {
				t.Errorf("Start with ffmpeg missing stopped by %q, want %q", tb.how, tt.want)
			}
			if !strings.Contains(tb.msg, "apt-get install") {
				t.Errorf("message = %q, want the apt-get command", tb.msg)
			}
		})
	}
}
