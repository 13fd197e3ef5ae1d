// Package app wires Canale's components into one server instance: the store,
// the HTTP surfaces and the background workers. The serve command and the
// end-to-end tests build the same App, so tests exercise the real wiring.
package app

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"canale/server/internal/adminapi"
	"canale/server/internal/config"
	"canale/server/internal/eventhub"
	"canale/server/internal/httpserver"
	"canale/server/internal/store"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// App is one Canale server instance over an open, migrated store.
type App struct {
	cfg      config.Config
	store    *store.Store
	logger   *slog.Logger
	version  string
	registry *prometheus.Registry
	engine   *gin.Engine
	events   *eventhub.Hub

	listening     chan struct{} // closed once changes from PostgreSQL are heard
	listeningOnce sync.Once

	wg sync.WaitGroup
}

// New wires the components. It starts nothing; call Run for the workers.
func New(cfg config.Config, s *store.Store, logger *slog.Logger, version string) *App {
	a := &App{cfg: cfg, store: s, logger: logger, version: version, registry: httpserver.NewRegistry(),
		events: eventhub.New(eventhub.Options{Logger: logger}), listening: make(chan struct{})}
	admin := adminapi.New(adminapi.Deps{Auth: s, Audit: s, Events: a.events, Logger: logger,
		TokenTTL: cfg.AdminTokenTTL, Version: version})
	a.engine = httpserver.New(httpserver.Options{
		Logger: logger, Registry: a.registry, Ready: s, Version: version,
		Mounts: []httpserver.Mount{{Prefix: "/api/v1", Surface: admin}},
	})
	return a
}

// Handler is the HTTP handler of every surface.
func (a *App) Handler() http.Handler { return a.engine }

// Engine exposes the Gin engine, whose route list the tests walk.
func (a *App) Engine() *gin.Engine { return a.engine }

// Events is the hub that pushes events to desktop apps; components Publish
// to it after their changes commit.
func (a *App) Events() *eventhub.Hub { return a.events }

// Run starts the background workers; they stop when ctx is done, and Wait
// waits for them. When ctx is done the event sockets are closed too, since
// http.Server.Shutdown does not track hijacked connections.
func (a *App) Run(ctx context.Context) {
	a.wg.Add(2)
	go func() { defer a.wg.Done(); a.sweepTokens(ctx) }()
	go func() {
		defer a.wg.Done()
		_ = a.store.ListenChanges(ctx, a.onChange)
		a.events.CloseAll()
	}()
}

// Listening is closed once the instance hears committed changes (its LISTEN
// is in place), so tests can make a change and expect to see its event.
func (a *App) Listening() <-chan struct{} { return a.listening }

// onChange forwards a committed change, from this instance or another, to
// the desktop apps, and closes the sockets of an admin whose tokens were
// revoked by a re-key.
func (a *App) onChange(c api.Change) {
	if c.Entity == "*" && c.Op == "reset" {
		a.listeningOnce.Do(func() { close(a.listening) })
	}
	if c.Entity == "admin" && c.Op == "rekey" {
		if id, err := strconv.ParseInt(c.ID, 10, 64); err == nil {
			a.events.CloseAdmin(id)
		}
	}
	e, err := api.NewEvent(api.EventChange, c)
	if err != nil {
		a.logger.Error("wrap change event", "error", err)
		return
	}
	a.events.Publish(e)
}

// Wait blocks until every worker started by Run has stopped.
func (a *App) Wait() { a.wg.Wait() }

// sweepTokens deletes expired admin tokens every hour so the table does not
// grow with every sign-in.
func (a *App) sweepTokens(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := a.store.DeleteExpiredAdminTokens(ctx); err != nil {
				a.logger.Warn("sweep expired admin tokens", "error", err)
			} else if n > 0 {
				a.logger.Debug("swept expired admin tokens", "count", n)
			}
		}
	}
}
