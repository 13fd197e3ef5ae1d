package cli_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"canale/server/internal/store/storetest"
)

var metricsURL = regexp.MustCompile(`Metrics\s+(http://\S+/metrics)\s`)

// TestMetricsOnTheirOwnListener: with CANALE_METRICS_ADDR, /metrics is
// served there, for a scraper on an internal network, and not at all on
// the public listener.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	base, stop, out := serveWithOutput(t, "--database-url", storetest.DSN(t), "--data-dir", t.TempDir(),
		"--metrics-addr", "127.0.0.1:0")
	defer stop()
	m := metricsURL.FindStringSubmatch(out)
	if m == nil || strings.HasPrefix(m[1], base) {
		t.Fatalf("banner names metrics at %q, want a listener other than %s:\n%s", m, base, out)
	}
	for _, tc := range []struct {
		url, want string
		status    int
	}{
		{m[1], "go_goroutines", http.StatusOK},
		{strings.TrimSuffix(m[1], "/metrics") + "/healthz", "", http.StatusNotFound},
		{base + "/metrics", "", http.StatusNotFound},
	} {
		resp, err := http.Get(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.want) {
			t.Errorf("GET %s: got %d, want %d with %q", tc.url, resp.StatusCode, tc.status, tc.want)
		}
	}
}
