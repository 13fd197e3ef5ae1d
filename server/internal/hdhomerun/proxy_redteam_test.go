package hdhomerun

import (
	"net/http"
	"sync"
	"testing"
)

// recordingEdge remembers every path the relay asks the balancer for and
// has no edge to give.
type recordingEdge struct {
	mu    sync.Mutex
	paths []string
}

func (r *recordingEdge) Locate(path, q string) (string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.paths = append(r.paths, path+"?"+q)
	return "", http.StatusServiceUnavailable
}

// TestRelayIsNoOpenProxy: whatever a client writes in a tuner's stream
// URL (a host, a URL, path tricks, query parameters), the relay asks the
// balancer for the HLS of a channel of the subscriber's line-up alone, with
// the subscriber's token; a path naming no such channel asks for nothing.
func TestRelayIsNoOpenProxy(t *testing.T) {
	edge := &recordingEdge{}
	e := engine(newFakes(), edge)
	base := Prefix + "/" + tunerToken
	for _, p := range []string{
		"/auto/v101@evil.example", "/auto/vhttp:%2F%2Fevil.example%2Fx.m3u8", "/auto/v..%2F..%2Fetc%2Fpasswd",
		"/auto/v101%2F..%2F..%2Fadmin", "/auto/v101%3Fx=1", "/auto/v%31%30%31x", "/auto/v-1", "/auto/v0101",
		"/auto/../auto/v101", "/p/1/../../auto/v101",
	} {
		if w := get(e, base+p); w.Code == http.StatusOK {
			t.Errorf("%s: %d", p, w.Code)
		}
	}
	for _, q := range []string{"?url=http://evil.example/", "?host=evil.example", "?token=someone-else", "?duration=1&name=secret"} {
		get(e, base+"/auto/v101"+q)
	}
	for _, p := range edge.paths {
		if p != "/first/index.m3u8?token=tok-alice" {
			t.Errorf("the relay asked the balancer for %q; want only /first/index.m3u8 with alice's token", p)
		}
	}
	if len(edge.paths) != 4 {
		t.Errorf("the relay asked the balancer %d times, want 4 (the well-formed requests alone): %v", len(edge.paths), edge.paths)
	}
}
