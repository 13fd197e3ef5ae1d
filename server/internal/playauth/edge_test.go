package playauth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testedge"
)

// TestEdgeEndToEnd plays real HLS and RTMP from nginx (fed by ffmpeg) whose
// auth_request and on_play ask Canale. nginx sends no session id, so Canale
// counts one session per (token, client IP, stream): the limited subscriber
// (max_sessions 1) can watch ch1 and is refused dvr1 while ch1's session is
// live.
func TestEdgeEndToEnd(t *testing.T) {
	in := startSeeded(t)
	edge := testedge.Start(t, testedge.Options{
		AuthURL:   in.url + "/nginx/" + secret + "/auth",
		OnPlayURL: in.url + "/nginx/" + secret + "/on_play",
		Streams:   []string{"ch1", "ch2", "dvr1"},
	})
	tests := []struct {
		name    string
		url     string
		refused bool
	}{
		{"Valid", edge.HLSURL("ch1", "tok-good"), false},
		{"ValidTokenInQuery", edge.QueryHLSURL("ch1", "tok-good"), false},
		{"UnknownToken", edge.HLSURL("ch1", "nope"), true},
		{"Expired", edge.HLSURL("ch1", "tok-expired"), true},
		{"OutsidePackages", edge.HLSURL("ch2", "tok-good"), true},
		{"LimitFirstSession", edge.HLSURL("ch1", "tok-limited"), false},
		{"LimitSecondSession", edge.HLSURL("dvr1", "tok-limited"), true},
		{"RTMPValid", edge.RTMPURL("ch1", "tok-good"), false},
		{"RTMPUnknownToken", edge.RTMPURL("ch1", "nope"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := testedge.Probe(ctx, tt.url)
			switch {
			case tt.refused && err == nil:
				t.Fatalf("ffprobe played %s, want it refused", tt.url)
			case !tt.refused && err != nil:
				t.Fatalf("ffprobe: %v, want it to play", err)
			case tt.refused && strings.Contains(tt.url, "http") && !strings.Contains(err.Error(), "403"):
				t.Errorf("ffprobe: %v, want a 403", err)
			}
		})
	}
}
