package subscriberapi_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"canale/server/internal/httpserver"
	"canale/server/internal/subscriberapi"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// bigLineup is a subscriber with n channels, a third of them with DVR.
func bigLineup(n int) *subscriberview.Static {
	l := subscriberview.Lineup{LiveCategories: []subscriberview.Category{{ID: 1, Name: "News"}, {ID: 2, Name: "Sport"}}}
	for i := 1; i <= n; i++ {
		l.Channels = append(l.Channels, subscriberview.Channel{ID: int64(i), Name: fmt.Sprintf("channel-%05d", i),
			Title: fmt.Sprintf("Channel %d HD", i), CategoryID: int64(i%2 + 1), Number: i, HasLogo: true,
			EPGChannelID: fmt.Sprintf("ch%d.example", i), DVRDays: (i % 3) * 3, Added: added})
	}
	return subscriberview.NewStatic([]subscriberview.Subscriber{{ID: 1, Login: "alice", Token: "tok-alice",
		Status: "active"}}, l, nil)
}

func benchEngine(b *testing.B, extra func(r *gin.RouterGroup)) http.Handler {
	api := subscriberapi.New(subscriberapi.Deps{Directory: bigLineup(5000), Logger: slog.New(slog.DiscardHandler),
		ExternalURL: "https://tv.example.net", Now: func() time.Time { return now }})
	return httpserver.New(httpserver.Options{Logger: slog.New(slog.DiscardHandler), Registry: httpserver.NewRegistry(),
		Mounts: []httpserver.Mount{{Prefix: "", Surface: api}, {Prefix: "", Surface: surfaceFunc(extra)}}})
}

type surfaceFunc func(r *gin.RouterGroup)

func (f surfaceFunc) Register(r *gin.RouterGroup) { f(r) }

func serveBench(b *testing.B, h http.Handler, path string) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
		b.SetBytes(int64(w.Body.Len()))
	}
}

// BenchmarkM3U5000 serves the playlist of a subscriber with 5,000 channels
// through the real handler and engine middleware.
func BenchmarkM3U5000(b *testing.B) {
	serveBench(b, benchEngine(b, func(*gin.RouterGroup) {}), "/playlist/tok-alice.m3u8")
}

// BenchmarkServeSameBytesM3U5000 serves the same bytes from memory through
// the same engine, middleware and ServeBytes (ETag included): the floor the
// playlist handler is measured against.
func BenchmarkServeSameBytesM3U5000(b *testing.B) {
	h := benchEngine(b, func(*gin.RouterGroup) {})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/playlist/tok-alice.m3u8", nil))
	body := bytes.Clone(w.Body.Bytes())
	h = benchEngine(b, func(r *gin.RouterGroup) {
		r.GET("/same/:token", func(c *gin.Context) { subscriberapi.ServeBytes(c, subscriberapi.ContentTypeM3U, body) })
	})
	serveBench(b, h, "/same/tok-alice.m3u8")
}
