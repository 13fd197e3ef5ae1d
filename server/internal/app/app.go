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

	"canale/server/internal/adminapi"
	"canale/server/internal/catalog"
	"canale/server/internal/config"
	"canale/server/internal/httpserver"
	"canale/server/internal/playauth"
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
	catalog  *catalog.Catalog
	playauth *playauth.Service

	wg sync.WaitGroup
}

// New wires the components. It starts nothing; call Run for the workers.
func New(cfg config.Config, s *store.Store, logger *slog.Logger, version string) *App {
	a := &App{cfg: cfg, store: s, logger: logger, version: version, registry: httpserver.NewRegistry()}
	a.catalog = catalog.New(s, logger.With("component", "catalog"), catalog.Options{})
	a.playauth = playauth.New(playauth.Deps{Catalog: a.catalog, Store: s, Logger: logger.With("component", "playauth"),
		Registry: a.registry})
	admin := adminapi.New(adminapi.Deps{Auth: s, Audit: s, Sessions: a.playauth, Logger: logger,
		TokenTTL: cfg.AdminTokenTTL, Version: version})
	a.engine = httpserver.New(httpserver.Options{
		Logger: logger, Registry: a.registry, Ready: s, Version: version,
		Mounts: []httpserver.Mount{{Prefix: "/api/v1", Surface: admin}, {Prefix: "", Surface: a.playauth}},
	})
	return a
}

// Handler is the HTTP handler of every surface.
func (a *App) Handler() http.Handler { return a.engine }

// Engine exposes the Gin engine, whose route list the tests walk.
func (a *App) Engine() *gin.Engine { return a.engine }

// Catalog is the instance's read model.
func (a *App) Catalog() *catalog.Catalog { return a.catalog }

// PlayAuth is the instance's play-authorization service.
func (a *App) PlayAuth() *playauth.Service { return a.playauth }

// AuthURL is the auth_url to configure on streamers, empty until the
// settings name an external URL and a streamer secret.
func (a *App) AuthURL() string { return a.playauth.AuthURL() }

// Run loads the read model, then starts the background workers; they stop
// when ctx is done, and Wait waits for them. Run returns once the model is
// loaded (retrying while the database is away), so the instance never
// answers a streamer from an empty model.
func (a *App) Run(ctx context.Context) {
	a.loadCatalog(ctx)
	a.wg.Add(4)
	go func() { defer a.wg.Done(); a.sweepTokens(ctx) }()
	go func() { defer a.wg.Done(); a.catalog.Run(ctx) }()
	go func() { defer a.wg.Done(); a.playauth.Run(ctx) }()
	go func() {
		defer a.wg.Done()
		_ = a.store.ListenChanges(ctx, func(c api.Change) {
			a.catalog.Notify(c)
			a.playauth.Notify(c)
		})
	}()
}

// loadCatalog makes the first load, retrying every two seconds.
func (a *App) loadCatalog(ctx context.Context) {
	for {
		err := a.catalog.Load(ctx)
		if err == nil || ctx.Err() != nil {
			return
		}
		a.logger.Error("load catalog; retrying", "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
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
