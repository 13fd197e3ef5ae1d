package playauth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testedge"
	"canale/shared/api"
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

// TestRTMPSessionLifecycle follows RTMP viewers of the limited subscriber
// (max_sessions 1) through real nginx-rtmp. A viewer whose session is
// killed is cut off at the next on_update; a viewer who leaves ends their
// session through on_play_done, so the next stream starts at once instead
// of being refused until the session would have expired.
func TestRTMPSessionLifecycle(t *testing.T) {
	in := startSeeded(t)
	base := in.url + "/nginx/" + secret
	edge := testedge.Start(t, testedge.Options{OnPlayURL: base + "/on_play", OnUpdateURL: base + "/on_update",
		UpdateEvery: time.Second, OnPlayDoneURL: base + "/on_play_done", Streams: []string{"ch1", "dvr1"}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	live := func() []api.PlaySession {
		t.Helper()
		page, err := in.app.PlayAuth().FindPlaySessions(ctx, apiFilter(9), apiList())
		if err != nil {
			t.Fatal(err)
		}
		return page.Items
	}

	cut := make(chan time.Duration, 1)
	go func() {
		played, _ := testedge.Watch(ctx, edge.RTMPURL("ch1", "tok-limited"), 30*time.Second)
		cut <- played
	}()
	eventually(t, "the viewer's session", func() bool { return len(live()) == 1 })
	if _, err := in.app.PlayAuth().KillPlaySession(ctx, adminActor(), live()[0].ID); err != nil {
		t.Fatal(err)
	}
	select {
	case played := <-cut:
		if played > 20*time.Second {
			t.Errorf("the killed viewer played on for %v: on_update did not cut it off", played)
		}
	case <-ctx.Done():
		t.Fatal("the killed viewer was never cut off")
	}

	if played, err := testedge.Watch(ctx, edge.RTMPURL("dvr1", "tok-limited"), 2*time.Second); err != nil {
		t.Fatalf("watch dvr1 after the kill freed the slot: %v (played %v)\n%s", err, played, edge.ErrorLogTail(40))
	}
	eventually(t, "the session ended by on_play_done", func() bool { return len(live()) == 0 })
	if err := testedge.Probe(ctx, edge.RTMPURL("ch1", "tok-limited")); err != nil {
		t.Errorf("a new stream right after the last viewer left: %v", err)
	}
	page, err := in.app.PlayAuth().FindPlaySessions(ctx, api.PlaySessionFilter{SubscriberID: 9, History: true}, apiList())
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, p := range page.Items {
		reasons[p.Name] += p.CloseReason + " "
	}
	if reasons["dvr1"] != "ended " || !strings.Contains(reasons["ch1"], "killed") {
		t.Errorf("close reasons by stream %q, want dvr1 ended and ch1 killed", reasons)
	}
}
