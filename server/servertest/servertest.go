// Package servertest lets tests outside server/, the desktop app's, run
// against a real Canale server (engine, event hub and a fresh PostgreSQL
// database). Go's internal rule keeps them from importing
// server/internal/testserver directly, so this package passes it through.
package servertest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/store/storetest"
	"canale/server/internal/testserver"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// Server is a running test instance; see testserver.Server.
type Server = testserver.Server

// AdminPassword is the password of the "admin" account every server has.
const AdminPassword = testserver.AdminPassword

// Main runs a package's tests and then stops the PostgreSQL cluster they
// used: func TestMain(m *testing.M) { servertest.Main(m) }. It puts Gin in
// test mode, which keeps its debug route listing out of the test output.
func Main(m *testing.M) {
	gin.SetMode(gin.TestMode)
	storetest.Main(m)
}

// Start starts a server on a new database; it stops when the test ends.
func Start(tb testing.TB) *Server { tb.Helper(); return testserver.Start(tb) }

// CreateAdmin creates, or re-keys, an account directly in the server's
// store, as "canale setup" does.
func CreateAdmin(tb testing.TB, srv *Server, login string, role api.Role, password string) api.Admin {
	tb.Helper()
	return testserver.CreateAdmin(tb, srv.Store, login, role, password)
}

// Simulator is a simulated Flussonic streamer; SimulatorOptions configure
// it and SimStream is one of its streams (see flussonic/simulator).
type (
	Simulator        = simulator.Simulator
	SimulatorOptions = simulator.Options
	SimStream        = simulator.Stream
)

// StartSimulator starts a simulated streamer on a loopback port; it stops
// when the test ends.
func StartSimulator(tb testing.TB, opts SimulatorOptions) *Simulator {
	tb.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	sim := simulator.New(opts)
	if err := sim.Start(); err != nil {
		tb.Fatalf("start simulator: %v", err)
	}
	tb.Cleanup(func() { _ = sim.Close() })
	return sim
}

// PollNow has the server's fleet reload its catalog and poll every streamer
// once, as its timers would.
func PollNow(tb testing.TB, srv *Server) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.App.Fleet().Reload(ctx); err != nil {
		tb.Fatalf("reload fleet: %v", err)
	}
	srv.App.Fleet().PollNow(ctx)
}
