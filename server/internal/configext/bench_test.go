package configext_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
)

// BenchmarkConfigExternal answers an edge that runs every one of 3000
// channels (the whole list, as a streamer polls it every few seconds), and
// a name= lookup of one channel; the spec asks for under 100 ms per answer.
func BenchmarkConfigExternal(b *testing.B) {
	s := storetest.New(b)
	seed := pipelineSeed()
	seed.Channels = nil
	for i := range 3000 {
		seed.Channels = append(seed.Channels, store.SeedChannel{Name: fmt.Sprintf("ch%04d", i), Title: "Channel",
			Pipeline: "full", DVRDays: 1, Sources: []store.FleetSource{{URL: "udp://239.0.0.1:1234"}}})
	}
	if err := s.Seed(context.Background(), seed); err != nil {
		b.Fatal(err)
	}
	srv := startB(b, s)
	for _, tc := range []struct{ name, query string }{
		{"All", "host=e1.test"},
		{"OneName", "host=e1.test&name=ch1234"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/flussonic/"+srv.secret+"/config/streams?"+tc.query, nil)
			for b.Loop() {
				w := httptest.NewRecorder()
				srv.engine.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("got %d", w.Code)
				}
			}
		})
	}
}
