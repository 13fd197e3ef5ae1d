package stalker_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"canale/server/internal/httpserver"
	"canale/server/internal/stalker"
	"canale/server/internal/store"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// memDevices is one known box in memory, standing in for the devices table
// as subscriberview.Static stands in for the read model.
type memDevices struct{ dev store.PortalDevice }

func (m *memDevices) FindPortalDevice(_ context.Context, mac string) (store.PortalDevice, error) {
	if mac != m.dev.MAC {
		return store.PortalDevice{}, api.Errorf(api.CodeNotFound, "no such device")
	}
	return m.dev, nil
}
func (m *memDevices) CreateDevice(context.Context, api.Actor, api.Device) (api.Device, error) {
	return api.Device{}, nil
}
func (m *memDevices) RecordDeviceBoot(context.Context, int64, store.DeviceBoot) error { return nil }
func (m *memDevices) SetDeviceToken(context.Context, int64, string, time.Time) error  { return nil }
func (m *memDevices) TouchDevice(context.Context, int64, string, time.Time) error     { return nil }
func (m *memDevices) SetDeviceFavourites(context.Context, int64, []int64) error       { return nil }
func (m *memDevices) SetDeviceLastChannel(context.Context, int64, int64) error        { return nil }

type surfaceFunc func(r *gin.RouterGroup)

func (f surfaceFunc) Register(r *gin.RouterGroup) { f(r) }

const benchToken = "0D9E6B2F4C1A7E3B5D8F0A2C4E6B8D1F"

// benchPortal is the portal over n channels, with a no-op route on the same
// engine and middleware as the baseline.
func benchPortal(b *testing.B, n int) http.Handler {
	l := subscriberview.Lineup{LiveCategories: []subscriberview.Category{{ID: 1, Name: "News"}, {ID: 2, Name: "Sport"}}}
	for i := 1; i <= n; i++ {
		l.Channels = append(l.Channels, subscriberview.Channel{ID: int64(i), Name: fmt.Sprintf("channel-%05d", i),
			Title: fmt.Sprintf("Channel %d HD", i), CategoryID: int64(i%2 + 1), Number: i, HasLogo: true,
			EPGChannelID: fmt.Sprintf("ch%d.example", i), DVRDays: (i % 3) * 3})
	}
	dir := subscriberview.NewStatic([]subscriberview.Subscriber{{ID: 1, Login: "alice", Token: "tok-alice", Status: "active"}}, l, nil)
	sum := sha256.Sum256([]byte(benchToken))
	devs := &memDevices{dev: store.PortalDevice{Device: api.Device{ID: 1, SubscriberID: 1, MAC: aliceMAC},
		TokenHash: sum[:], TokenExpiresAt: time.Now().Add(240 * time.Hour), LastChannelID: 2500}}
	p := stalker.New(stalker.Deps{Devices: devs, Directory: dir, Secret: func() string { return "bench-secret" },
		Logger: slog.New(slog.DiscardHandler), ExternalURL: "https://tv.example.net", SessionTTL: 240 * time.Hour})
	return httpserver.New(httpserver.Options{Logger: slog.New(slog.DiscardHandler), Registry: httpserver.NewRegistry(),
		Mounts: []httpserver.Mount{{Prefix: "", Surface: p}, {Prefix: "", Surface: surfaceFunc(func(r *gin.RouterGroup) {
			r.GET("/noop", func(c *gin.Context) { c.Status(http.StatusOK) })
		})}}})
}

// BenchmarkStalkerPortal measures a page of get_ordered_list over 5,000
// channels and create_link against a no-op route of the same engine; the
// device and line-up come from memory, as the read model serves line-ups.
func BenchmarkStalkerPortal(b *testing.B) {
	h := benchPortal(b, 5000)
	for _, c := range []struct{ name, path string }{
		{"Noop", "/noop"},
		{"GetOrderedList5000", "/stalker_portal/server/load.php?type=itv&action=get_ordered_list&genre=*&p=0&JsHttpRequest=1-xml"},
		{"CreateLink", "/stalker_portal/server/load.php?type=itv&action=create_link&cmd=ffmpeg%20http%3A%2F%2Flocalhost%2Fch%2F1001_&JsHttpRequest=1-xml"},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, c.path, nil)
			req.Header.Set("Cookie", "mac=00%3A1A%3A79%3A12%3A34%3A56")
			req.Header.Set("Authorization", "Bearer "+benchToken)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK || c.name != "Noop" && w.Body.Len() < 100 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
