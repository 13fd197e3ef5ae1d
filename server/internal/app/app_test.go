package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"canale/server/internal/store/storetest"
	"canale/server/internal/testserver"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHealthEndpoints(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	for _, tc := range []struct{ path, want string }{
		{"/healthz", `"status":"ok"`},
		{"/readyz", `"migrations":"ok"`},
	} {
		resp, body := get(t, srv.URL+tc.path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, tc.want) {
			t.Errorf("%s: got %d %s, want 200 with %s", tc.path, resp.StatusCode, body, tc.want)
		}
	}
}

func TestMetricsByRoute(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	get(t, srv.URL+"/api/v1/me") // 401, counted under its route template
	_, body := get(t, srv.URL+"/metrics", "Authorization", "Bearer "+srv.Admin.Token())
	for _, want := range []string{
		`canale_http_requests_total{method="GET",route="/api/v1/me",status="401"} 1`,
		"canale_http_request_duration_seconds_bucket",
		"go_goroutines",
		"process_resident_memory_bytes",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	resp, _ := get(t, srv.URL+"/healthz", "X-Request-ID", "abc-123")
	if got := resp.Header.Get("X-Request-ID"); got != "abc-123" {
		t.Errorf("echoed request id: got %q, want abc-123", got)
	}
	resp, _ = get(t, srv.URL+"/healthz", "X-Request-ID", "bad id with spaces")
	if got := resp.Header.Get("X-Request-ID"); got == "" || strings.Contains(got, " ") {
		t.Errorf("replacement request id: got %q, want a fresh one", got)
	}
}
