// Package app wires Canale's components into one server instance: the store,
// the HTTP surfaces and the background workers. The serve command and the
// end-to-end tests build the same App, so tests exercise the real wiring.
package app

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"canale/server/internal/acme"
	"canale/server/internal/adminapi"
	"canale/server/internal/config"
	"canale/server/internal/epgimport"
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

	acme      *acme.Manager
	epg       *epgimport.Importer
	httpsOnce sync.Once
	runCtx    context.Context

	wg sync.WaitGroup
}

// New wires the components. It starts nothing; call Run for the workers.
func New(cfg config.Config, s *store.Store, logger *slog.Logger, version string) *App {
	a := &App{cfg: cfg, store: s, logger: logger, version: version, registry: httpserver.NewRegistry()}
	a.acme = newACME(cfg, s, logger, a.startHTTPS)
	a.epg = epgimport.New(epgimport.Config{Store: s, Logger: logger, Publish: a.publish})
	admin := adminapi.New(adminapi.Deps{Auth: s, Audit: s, TLS: a.acme, EPG: s, EPGImports: a.epg, Logger: logger,
		TokenTTL: cfg.AdminTokenTTL, Version: version, ExternalURL: cfg.ExternalURL})
	a.engine = httpserver.New(httpserver.Options{
		Logger: logger, Registry: a.registry, Ready: s, Version: version,
		Mounts: []httpserver.Mount{{Prefix: "/api/v1", Surface: admin}},
	})
	return a
}

// Handler is the HTTP handler of every surface, answering Let's Encrypt
// HTTP-01 challenges too.
func (a *App) Handler() http.Handler { return a.acme.HTTPHandler(a.engine) }

// Engine exposes the Gin engine, whose route list the tests walk.
func (a *App) Engine() *gin.Engine { return a.engine }

// Run starts the background workers; they stop when ctx is done, and Wait
// waits for them.
func (a *App) Run(ctx context.Context) {
	a.runCtx = ctx
	if err := a.acme.Load(ctx); err != nil {
		a.logger.Error("load TLS settings", "error", err)
	} else if a.acme.Enabled() {
		a.startHTTPS()
	}
	a.wg.Add(2)
	go func() { defer a.wg.Done(); a.sweepTokens(ctx) }()
	go func() { defer a.wg.Done(); a.epg.Run(ctx) }()
}

// EPG returns the EPG importer, for the command line and tests.
func (a *App) EPG() *epgimport.Importer { return a.epg }

// publish hands an event to the desktop apps. The event hub is not wired in
// yet, so events are only logged; wiring it replaces this body.
func (a *App) publish(e api.Event) {
	a.logger.Debug("event", "type", e.Type, "data", string(e.Data))
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
