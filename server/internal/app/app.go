// Package app wires Canale's components into one server instance: the store,
// the HTTP surfaces and the background workers. The serve command and the
// end-to-end tests build the same App, so tests exercise the real wiring.
package app

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"canale/server/internal/acme"
	"canale/server/internal/adminapi"
	"canale/server/internal/balancer"
	"canale/server/internal/config"
	"canale/server/internal/configext"
	"canale/server/internal/fleet"
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
	fleet    *fleet.Manager
	events   atomic.Pointer[func(api.Event)]

	acme      *acme.Manager
	httpsOnce sync.Once
	runCtx    context.Context

	wg sync.WaitGroup
}

// New wires the components. It starts nothing; call Run for the workers.
func New(cfg config.Config, s *store.Store, logger *slog.Logger, version string) *App {
	a := &App{cfg: cfg, store: s, logger: logger, version: version, registry: httpserver.NewRegistry()}
	a.acme = newACME(cfg, s, logger, a.startHTTPS)
	a.fleet = fleet.NewManager(fleet.ManagerConfig{Catalog: s, Logger: logger, Publish: a.publish,
		ExternalURL: cfg.ExternalURL})
	admin := adminapi.New(adminapi.Deps{Auth: s, Audit: s, TLS: a.acme, Catalog: s, Subscribers: s, Resellers: s,
		Fleet: a.fleet, Logger: logger, TokenTTL: cfg.AdminTokenTTL, Version: version, ExternalURL: cfg.ExternalURL})
	bal := balancer.New(a.fleet)
	a.engine = httpserver.New(httpserver.Options{
		Logger: logger, Registry: a.registry, Ready: s, Version: version,
		Mounts: []httpserver.Mount{
			{Prefix: "/api/v1", Surface: admin},
			{Prefix: "/", Surface: &adminapi.Logos{API: admin, Store: s}},
			// Streamer-facing: config_external here, play authorization
			// (/flussonic/:secret/auth) on the same prefix.
			{Prefix: "/flussonic/:secret", Surface: &configext.Handler{Source: a.fleet}},
			{Prefix: "/lb/-", Surface: bal},
		},
	})
	// Player URLs live at the root, so the balancer answers what no route matched.
	a.engine.NoRoute(bal.NoRoute)
	return a
}

// Fleet is the fleet manager: streamer health, placements, config_external.
func (a *App) Fleet() *fleet.Manager { return a.fleet }

// OnChange passes a committed catalog change (a NOTIFY payload) to the
// components that keep state in memory.
func (a *App) OnChange(c api.Change) { a.fleet.OnChange(c) }

// SetEventSink sets where fleet transitions go (the event hub); until then
// they are only logged at debug level.
func (a *App) SetEventSink(f func(api.Event)) { a.events.Store(&f) }

func (a *App) publish(e api.Event) {
	if f := a.events.Load(); f != nil {
		(*f)(e)
		return
	}
	a.logger.Debug("fleet event", "type", e.Type, "data", string(e.Data))
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
	a.wg.Add(1)
	go func() { defer a.wg.Done(); a.sweepTokens(ctx) }()
	a.wg.Add(1)
	go func() { defer a.wg.Done(); _ = a.fleet.Run(ctx) }()
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
