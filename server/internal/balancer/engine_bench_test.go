package balancer_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/store"
	"canale/server/internal/testserver"
	"canale/server/internal/testtools"
)

// BenchmarkEngineRedirect runs a player's redirect (Redirect) and the no-op
// (Noop: /healthz) through the server's whole handler: the real Gin engine
// with its middleware chain (request id, access log, recovery, metrics,
// proxies, body limit), the NoRoute fall-through the balancer is mounted
// on, and the fleet's edges of a channel placed on a polled simulator, as
// the load harness drives them over the network. Their ratio is what the
// balancer costs a request beyond any endpoint of the server.
func BenchmarkEngineRedirect(b *testing.B) {
	srv := testserver.Start(b)
	const streamers, channels = 4, 50
	streams := make([]simulator.Stream, channels)
	for i := range streams {
		streams[i] = simulator.Stream{Name: fmt.Sprintf("lb%d", i+1), Alive: true, InputKbps: 3000, OutputKbps: 3000}
	}
	seed := store.Seed{Pipelines: []store.SeedPipeline{{Name: "bench", Steps: []store.SeedStep{{Role: "ingest", Placement: "one"}}}}}
	for i := range streamers {
		sim := simulator.New(simulator.Options{Hostname: fmt.Sprintf("edge%d.test", i), Streams: streams})
		if err := sim.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { sim.Close() })
		name := fmt.Sprintf("edge%d", i)
		seed.Streamers = append(seed.Streamers, store.SeedStreamer{Name: name, APIURL: sim.URL(), PublicURL: sim.URL(), PollIntervalS: 3600})
		seed.Pipelines[0].Steps[0].Streamers = append(seed.Pipelines[0].Steps[0].Streamers, name)
	}
	for _, s := range streams {
		seed.Channels = append(seed.Channels, store.SeedChannel{Name: s.Name, Title: s.Name, Pipeline: "bench",
			Sources: []store.FleetSource{{URL: "udp://239.0.0.1:1234"}}})
	}
	ctx := context.Background()
	if err := srv.Store.Seed(ctx, seed); err != nil {
		b.Fatal(err)
	}
	fl := srv.App.Fleet()
	if err := fl.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	fl.PollNow(ctx)
	if err := fl.Reload(ctx); err != nil { // place the channels now that the streamers are known up
		b.Fatal(err)
	}
	h := srv.App.Handler()
	reqs := make([]*http.Request, channels)
	for i, s := range streams {
		reqs[i] = httptest.NewRequest(http.MethodGet, "/"+s.Name+"/index.m3u8?token=abc", nil)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, reqs[0])
	if loc := w.Header().Get("Location"); w.Code != http.StatusFound || !strings.HasSuffix(loc, "/lb1/index.m3u8?token=abc") {
		b.Fatalf("GET /lb1/index.m3u8: %d to %q, want a 302 to an edge", w.Code, loc)
	}
	run := func(b *testing.B, reqs []*http.Request, want int) {
		b.ReportAllocs()
		defer testtools.ReportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, reqs[i%len(reqs)])
				if w.Code != want {
					b.Errorf("status %d, want %d", w.Code, want)
				}
			}
		})
	}
	b.Run("Redirect", func(b *testing.B) { run(b, reqs, http.StatusFound) })
	b.Run("Noop", func(b *testing.B) {
		run(b, []*http.Request{httptest.NewRequest(http.MethodGet, "/healthz?token=abc", nil)}, http.StatusOK)
	})
}
