package cli

import (
	"context"
	"fmt"
	"net"

	"canale/server/internal/pgsql"
)

// runServe runs the server until ctx is done.
func runServe(ctx context.Context, version string, args []string, io IO) error {
	p, err := prepare(ctx, "serve", args, io.Getenv, io, nil)
	if err != nil {
		return err
	}
	defer p.close()
	inst, db, logger := p.inst, p.db, p.logger
	// A cluster that cannot be brought back ends the server with an error
	// (a non-zero exit), so systemd restarts the whole service.
	serving, stopServing := context.WithCancel(ctx)
	defer stopServing()
	a := inst.Start(serving, p.cfg, db.Store, version)
	lost := make(chan error, 1)
	failed := db.supervise(ctx, pgsql.Watch{Down: a.DatabaseDown, Up: a.DatabaseUp})
	go func() {
		select {
		case err := <-failed:
			lost <- err
			stopServing()
		case <-serving.Done():
		}
	}()
	printBanner(io, version, inst.Addr(), inst.MetricsAddr())
	logger.Info("canale serving", "http_addr", inst.Addr().String(), "version", version)
	err = inst.Wait()
	select {
	case dbErr := <-lost:
		logger.Error("stopping: the embedded PostgreSQL cannot be restarted", "error", dbErr)
		return dbErr
	default:
		return err
	}
}

func printBanner(io IO, version string, addr, metrics net.Addr) {
	base := "http://" + displayAddr(addr)
	metricsURL := base + "/metrics      (with a staff bearer token)"
	if metrics != nil {
		metricsURL = "http://" + displayAddr(metrics) + "/metrics"
	}
	fmt.Fprintf(io.Out, `
Canale %s is up.
  Portal       %s/              (subscribers sign in here)
  Admin API    %s/api/v1      (sign in with the login from "canale setup init")
  Readiness    %s/readyz
  Metrics      %s
  Desktop app  make run-desktop   (or bin/canale-admin, then connect to %s)
Stop with Ctrl-C.

`, version, base, base, base, metricsURL, base)
}

// displayAddr turns ":80" or "[::]:80" into something a browser can open.
func displayAddr(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
