package app

import (
	"log/slog"
	"net"
	"testing"

	"canale/server/internal/config"
)

// TestInstanceListenFirst checks the part of the lifecycle before the
// database: a port in use fails at Listen, and an instance closed before it
// started lets its ports go.
func TestInstanceListenFirst(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	inst, err := Listen(config.Config{HTTPAddr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0"}, logger)
	if err != nil {
		t.Fatal(err)
	}
	addr, metrics := inst.Addr().String(), inst.MetricsAddr().String()
	if _, err := Listen(config.Config{HTTPAddr: addr}, logger); err == nil {
		t.Errorf("Listen on %s in use: got no error, want one", addr)
	}
	if err := inst.Close(); err != nil {
		t.Errorf("Close before Start: got %v, want nil", err)
	}
	for _, a := range []string{addr, metrics} {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			t.Errorf("after Close, %s is still taken: %v", a, err)
			continue
		}
		ln.Close()
	}
}
