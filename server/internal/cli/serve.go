package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"sync"

	"canale/server/internal/app"
	"canale/server/internal/config"
	"canale/server/internal/httpserver"
	"canale/server/internal/pgsql"

	"github.com/gin-gonic/gin"
)

// runServe runs the server until ctx is done.
func runServe(ctx context.Context, version string, args []string, io IO) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Err)
	cfg, err := config.ParseFlags(fs, args, io.Getenv)
	if err != nil {
		return err
	}
	logger := cfg.Logger(io.Err)
	ln, err := httpserver.Listen(cfg.HTTPAddr)
	if err != nil {
		return err
	}
	defer ln.Close()
	mln, err := listenMetrics(cfg.MetricsAddr)
	if err != nil {
		return err
	}
	if mln != nil {
		defer mln.Close()
	}
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	gin.SetMode(gin.ReleaseMode)
	a := app.New(cfg, db.Store, logger, version)
	// A cluster that cannot be brought back ends the server with an error
	// (a non-zero exit), so systemd restarts the whole service.
	serving, stopServing := context.WithCancel(ctx)
	defer stopServing()
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
	workers, stopWorkers := context.WithCancel(serving)
	a.Run(workers)
	printBanner(io, version, ln.Addr(), mln)
	logger.Info("canale serving", "http_addr", ln.Addr().String(), "version", version)
	metricsCtx, stopMetrics := context.WithCancel(serving)
	metricsDone := serveMetrics(metricsCtx, mln, a, logger)
	err = httpserver.Serve(serving, ln, a.Handler(), logger)
	stopMetrics()
	metricsDone()
	stopWorkers()
	a.Wait()
	select {
	case dbErr := <-lost:
		logger.Error("stopping: the embedded PostgreSQL cannot be restarted", "error", dbErr)
		return dbErr
	default:
		return err
	}
}

// listenMetrics opens the listener of CANALE_METRICS_ADDR, nil when unset.
func listenMetrics(addr string) (net.Listener, error) {
	if addr == "" {
		return nil, nil
	}
	return httpserver.Listen(addr)
}

// serveMetrics serves a's /metrics on ln, when there is one, until ctx is
// done; the function it returns waits for that.
func serveMetrics(ctx context.Context, ln net.Listener, a *app.App, logger *slog.Logger) (wait func()) {
	var wg sync.WaitGroup
	if ln != nil {
		wg.Go(func() {
			if err := httpserver.Serve(ctx, ln, a.MetricsHandler(), logger); err != nil {
				logger.Error("metrics server", "error", err)
			}
		})
	}
	return wg.Wait
}

func printBanner(io IO, version string, addr net.Addr, metrics net.Listener) {
	base := "http://" + displayAddr(addr)
	metricsURL := base + "/metrics      (with a staff bearer token)"
	if metrics != nil {
		metricsURL = "http://" + displayAddr(metrics.Addr()) + "/metrics"
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
