package fleet

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"canale/server/internal/store"
)

// TestPollsReuseConnections polls more streamers than http.DefaultTransport
// keeps idle connections for (100 in all): the second cycle must reuse every
// connection of the first rather than dial again.
func TestPollsReuseConnections(t *testing.T) {
	const streamers = 120
	var dials atomic.Int64
	m := NewManager(ManagerConfig{})
	clients := make([]Source, streamers)
	for i := range clients {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"server_version":"24.12","stats":{"cpu_usage":1}}`))
		}))
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				dials.Add(1)
			}
		}
		srv.Start()
		t.Cleanup(srv.Close)
		c, err := m.client(store.FleetStreamer{ID: int64(i + 1), APIURL: srv.URL, TimeoutS: 5})
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}
	cycle := func() {
		for _, c := range clients {
			if _, err := c.ServerStats(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	cycle()
	first := dials.Load()
	cycle()
	if again := dials.Load() - first; first != streamers || again != 0 {
		t.Errorf("connections: %d opened by the first cycle, %d by the second; want %d and 0", first, again, streamers)
	}
}
