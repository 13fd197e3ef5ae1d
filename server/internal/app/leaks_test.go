package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestConfigExternalWrongSecretLooksLikeAuth: the auth routes answer a
// wrong streamer secret with a bare 404, as if they did not exist, while
// config_external answered 403 with an error body, telling a scanner it
// had found a Canale and only lacked the secret.
func TestConfigExternalWrongSecretLooksLikeAuth(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	if _, err := srv.Admin.RotateStreamerSecret(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	auth, authBody := get(t, srv.URL+"/flussonic/wrong-secret/auth?name=a&token=b")
	for _, p := range []string{"/config/streams?host=edge1", "/config/update-streams", "/config/dynamic-streams"} {
		resp, body := get(t, srv.URL+"/flussonic/wrong-secret"+p)
		if resp.StatusCode != http.StatusNotFound || resp.StatusCode != auth.StatusCode || body != authBody ||
			resp.Header.Get("Content-Type") != auth.Header.Get("Content-Type") {
			t.Errorf("%s with a wrong secret: got %d %q (%s), want the auth route's %d %q (%s)", p,
				resp.StatusCode, body, resp.Header.Get("Content-Type"), auth.StatusCode, authBody, auth.Header.Get("Content-Type"))
		}
	}
}

// TestBalancerAnswersDoNotEchoThePath: the balancer wrote the channel name
// from the path back into its 404 and 503 answers.
func TestBalancerAnswersDoNotEchoThePath(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	if _, err := srv.Admin.CreateChannel(context.Background(), api.ChannelCreate{Name: "known-unplaced", Title: "K"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, echo string
		status     int
	}{
		{"/echo-me-please/index.m3u8", "echo-me-please", http.StatusNotFound},
		{"/lb/-/echo-me-please/mpegts", "echo-me-please", http.StatusNotFound},
		{"/known-unplaced/index.m3u8", "known-unplaced", http.StatusServiceUnavailable},
	} {
		var resp *http.Response
		var body string
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			// The new channel reaches the balancer with the change event.
			if resp, body = get(t, srv.URL+tc.path); resp.StatusCode == tc.status || time.Now().After(deadline) {
				break
			}
		}
		if resp.StatusCode != tc.status || strings.Contains(body, tc.echo) {
			t.Errorf("GET %s: got %d %q, want %d without %q", tc.path, resp.StatusCode, body, tc.status, tc.echo)
		}
	}
}
