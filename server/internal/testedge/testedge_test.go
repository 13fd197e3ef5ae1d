package testedge_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/server/internal/testedge"
)

// authServer is a tiny play-authorization backend: token "good" may watch,
// key "pub-secret" may publish, everything else is denied. It records what
// nginx sent so tests can check the headers.
type authServer struct {
	mu      sync.Mutex
	uris    []string // X-Original-URI of every HLS check
	realIPs []string
	plays   []url.Values
}

func (a *authServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hls/auth", func(w http.ResponseWriter, r *http.Request) {
		uri := r.Header.Get("X-Original-URI")
		a.mu.Lock()
		a.uris = append(a.uris, uri)
		a.realIPs = append(a.realIPs, r.Header.Get("X-Real-IP"))
		a.mu.Unlock()
		allow(w, hlsToken(uri) == "good")
	})
	mux.HandleFunc("POST /rtmp/on_play", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		a.mu.Lock()
		a.plays = append(a.plays, r.PostForm)
		a.mu.Unlock()
		allow(w, r.PostForm.Get("token") == "good")
	})
	mux.HandleFunc("POST /rtmp/on_publish", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		allow(w, r.PostForm.Get("key") == "pub-secret")
	})
	return mux
}

func allow(w http.ResponseWriter, ok bool) {
	if ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusForbidden)
}

// hlsToken finds the token in either URL form the edge serves.
func hlsToken(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return ""
	}
	if tok := u.Query().Get("token"); tok != "" {
		return tok
	}
	parts := strings.Split(u.Path, "/") // "", "hls", token, stream, file
	if len(parts) == 5 && parts[1] == "hls" {
		return parts[2]
	}
	return ""
}

func (a *authServer) seen() (uris, ips []string, plays []url.Values) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.uris), slices.Clone(a.realIPs), slices.Clone(a.plays)
}

func startEdge(t *testing.T, streams ...string) (*testedge.Edge, *authServer) {
	t.Helper()
	auth := &authServer{}
	srv := httptest.NewServer(auth.handler())
	t.Cleanup(srv.Close)
	edge := testedge.Start(t, testedge.Options{
		AuthURL:      srv.URL + "/hls/auth",
		OnPlayURL:    srv.URL + "/rtmp/on_play",
		OnPublishURL: srv.URL + "/rtmp/on_publish",
		PublishKey:   "pub-secret",
		Streams:      streams,
	})
	return edge, auth
}

func TestEdgeAuthorizesPlayback(t *testing.T) {
	edge, auth := startEdge(t, "channel1", "channel2")

	tests := []struct {
		name    string
		url     string
		wantErr string // "" means ffprobe must find video
	}{
		{"hls path good", edge.HLSURL("channel1", "good"), ""},
		{"hls path second stream", edge.HLSURL("channel2", "good"), ""},
		{"hls path bad", edge.HLSURL("channel1", "bad"), "403 Forbidden"},
		{"hls query good", edge.QueryHLSURL("channel1", "good"), ""},
		{"hls query bad", edge.QueryHLSURL("channel1", "bad"), "403 Forbidden"},
		{"hls query missing", edge.QueryHLSURL("channel1", ""), "403 Forbidden"},
		{"rtmp good", edge.RTMPURL("channel1", "good"), ""},
		{"rtmp bad", edge.RTMPURL("channel1", "bad"), "Input/output error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			err := testedge.Probe(ctx, tt.url)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Probe(%s) = %v, want nil", tt.url, err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Probe(%s) = nil, want error containing %q", tt.url, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("Probe(%s) = %v, want error containing %q", tt.url, err, tt.wantErr)
			}
		})
	}

	uris, ips, plays := auth.seen()
	for _, want := range []string{
		"/hls/good/channel1/index.m3u8",
		"/hls/bad/channel1/index.m3u8",
		"/channel1/index.m3u8?token=good",
	} {
		if !slices.Contains(uris, want) {
			t.Errorf("auth saw X-Original-URI %q, want it to include %q", uris, want)
		}
	}
	// Segments must be checked too, with the token they inherited.
	if !slices.ContainsFunc(uris, func(u string) bool {
		return strings.HasPrefix(u, "/hls/good/channel1/") && strings.HasSuffix(u, ".ts")
	}) {
		t.Errorf("auth saw X-Original-URI %q, want a segment under /hls/good/channel1/", uris)
	}
	if !slices.ContainsFunc(uris, func(u string) bool {
		return strings.HasPrefix(u, "/channel1/") && strings.Contains(u, ".ts?token=good")
	}) {
		t.Errorf("auth saw X-Original-URI %q, want a segment /channel1/N.ts?token=good", uris)
	}
	for _, ip := range ips {
		if ip != "127.0.0.1" {
			t.Errorf("auth saw X-Real-IP %q, want 127.0.0.1", ip)
		}
	}
	if len(plays) == 0 {
		t.Fatal("on_play was never called")
	}
	if got := plays[0].Get("name"); got != "channel1" {
		t.Errorf("on_play name = %q, want channel1", got)
	}
	if got := plays[0].Get("app"); got != "live" {
		t.Errorf("on_play app = %q, want live", got)
	}
}

func TestEdgeDeniesPublishWithWrongKey(t *testing.T) {
	edge, _ := startEdge(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := edge.PublishWithKey(ctx, "intruder", "wrong")
	if err == nil {
		t.Fatal("PublishWithKey with a wrong key = nil, want an error")
	}
	if !strings.Contains(err.Error(), "ffmpeg exited") {
		t.Errorf("PublishWithKey error = %v, want ffmpeg to give up", err)
	}
}
