package testedge

import (
	"os"
	"testing"

	"canale/server/internal/testtools"
)

// ModulePath is where Debian's libnginx-mod-rtmp puts the RTMP module.
const ModulePath = "/usr/lib/nginx/modules/ngx_rtmp_module.so"

const installHint = "apt-get install -y --no-install-recommends nginx libnginx-mod-rtmp ffmpeg"

// tools holds the absolute paths of the programs the edge runs.
type tools struct {
	nginx, ffmpeg, ffprobe string
}

// requireTools finds nginx, ffmpeg, ffprobe and the RTMP module. When one is
// missing the test fails under CI=true, where the environment promises them,
// and is skipped elsewhere.
func requireTools(tb testing.TB) tools {
	tb.Helper()
	var t tools
	for name, dst := range map[string]*string{"nginx": &t.nginx, "ffmpeg": &t.ffmpeg, "ffprobe": &t.ffprobe} {
		p, err := lookTool(name)
		if err != nil {
			missing(tb, name+" not found")
		}
		*dst = p
	}
	if _, err := os.Stat(ModulePath); err != nil {
		missing(tb, "nginx RTMP module not found at "+ModulePath)
	}
	return t
}

func lookTool(name string) (string, error) { return testtools.Look(name) }

func missing(tb testing.TB, what string) {
	tb.Helper()
	testtools.Missing(tb, what, installHint)
}
