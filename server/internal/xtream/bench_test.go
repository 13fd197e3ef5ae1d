package xtream_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/httpserver"
	"canale/server/internal/subscriberview"
	"canale/server/internal/xtream"

	"github.com/gin-gonic/gin"
)

type surfaceFunc func(r *gin.RouterGroup)

func (f surfaceFunc) Register(r *gin.RouterGroup) { f(r) }

// benchEngine is the XC API over n in-memory streams (standing in for the
// read model) with a real Authenticator, plus extra routes on the same engine.
func benchEngine(b *testing.B, n int, extra func(r *gin.RouterGroup)) http.Handler {
	h, err := credential.HashPassword(password)
	if err != nil {
		b.Fatal(err)
	}
	l := subscriberview.Lineup{LiveCategories: []subscriberview.Category{{ID: 1, Name: "News"}, {ID: 2, Name: "Sport"}}}
	for i := 1; i <= n; i++ {
		l.Channels = append(l.Channels, subscriberview.Channel{ID: int64(i), Name: fmt.Sprintf("channel-%05d", i),
			Title: fmt.Sprintf("Channel %d HD", i), CategoryID: int64(i%2 + 1), Number: i, HasLogo: true,
			EPGChannelID: fmt.Sprintf("ch%d.example", i), DVRDays: (i % 3) * 3, Added: added})
	}
	dir := subscriberview.NewStatic([]subscriberview.Subscriber{{ID: 1, Login: "alice", PasswordHash: h,
		Token: "tok-alice", Status: "active"}}, l, nil)
	x := xtream.New(xtream.Deps{Auth: subscriberview.NewAuthenticator(dir, subscriberview.AuthOptions{}), Directory: dir,
		Logger: slog.New(slog.DiscardHandler), ExternalURL: "https://tv.example.net", Now: func() time.Time { return now }})
	return httpserver.New(httpserver.Options{Logger: slog.New(slog.DiscardHandler), Registry: httpserver.NewRegistry(),
		Mounts: []httpserver.Mount{{Prefix: "", Surface: x}, {Prefix: "", Surface: surfaceFunc(extra)}}})
}

func serveBench(b *testing.B, h http.Handler, path string) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req) // the first request pays argon2id; the rest hit the cache
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
		b.SetBytes(int64(w.Body.Len()))
	}
}

const liveStreamsPath = "/player_api.php?username=alice&password=" + password + "&action=get_live_streams"

// BenchmarkXCLiveStreams10000 answers get_live_streams for 10,000 streams,
// credentials checked on every request as XC clients send them.
func BenchmarkXCLiveStreams10000(b *testing.B) {
	serveBench(b, benchEngine(b, 10000, func(*gin.RouterGroup) {}), liveStreamsPath)
}

// BenchmarkServeSameBytesXCLiveStreams10000 serves the same JSON from memory
// through the same engine and middleware.
func BenchmarkServeSameBytesXCLiveStreams10000(b *testing.B) {
	h := benchEngine(b, 10000, func(*gin.RouterGroup) {})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, liveStreamsPath, nil))
	body := bytes.Clone(w.Body.Bytes())
	h = benchEngine(b, 10000, func(r *gin.RouterGroup) {
		r.GET("/same.php", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", body) })
	})
	serveBench(b, h, "/same.php")
}
