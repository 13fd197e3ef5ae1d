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
	"canale/server/internal/httpserver"
	"canale/server/internal/portal"
	"canale/server/internal/store"
	"canale/server/internal/subscriberapi"
	"canale/server/internal/subscriberview"
	"canale/server/internal/xtream"

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
	httpsOnce sync.Once
	runCtx    context.Context

	wg sync.WaitGroup
}

// New wires the components. It starts nothing; call Run for the workers.
func New(cfg config.Config, s *store.Store, logger *slog.Logger, version string) *App {
	a := &App{cfg: cfg, store: s, logger: logger, version: version, registry: httpserver.NewRegistry()}
	a.acme = newACME(cfg, s, logger, a.startHTTPS)
	admin := adminapi.New(adminapi.Deps{Auth: s, Audit: s, TLS: a.acme, Logger: logger, TokenTTL: cfg.AdminTokenTTL,
		Version: version, ExternalURL: cfg.ExternalURL})
	a.engine = httpserver.New(httpserver.Options{
		Logger: logger, Registry: a.registry, Ready: s, Version: version,
		Mounts: append([]httpserver.Mount{{Prefix: "/api/v1", Surface: admin}}, subscriberMounts(cfg, s, logger)...),
	})
	return a
}

// subscriberMounts are the surfaces subscribers and their players use, all at
// the root: the portal, the token playlists and the Xtream API. They read the
// database through subscriberview until the read model backs their
// interfaces; the guide stays empty until the EPG store is wired.
func subscriberMounts(cfg config.Config, s *store.Store, logger *slog.Logger) []httpserver.Mount {
	dir := subscriberview.NewDirectory(s)
	auth := subscriberview.NewAuthenticator(dir, subscriberview.AuthOptions{})
	var guide subscriberview.Guide = subscriberview.MemGuide(nil)
	return []httpserver.Mount{
		{Prefix: "", Surface: portal.New(portal.Deps{Auth: auth, Directory: dir, Sessions: subscriberview.NewSessions(s),
			Guide: guide, Logger: logger, ExternalURL: cfg.ExternalURL})},
		{Prefix: "", Surface: subscriberapi.New(subscriberapi.Deps{Directory: dir, Guide: guide, Logger: logger,
			ExternalURL: cfg.ExternalURL})},
		{Prefix: "", Surface: xtream.New(xtream.Deps{Auth: auth, Directory: dir, Guide: guide, Logger: logger,
			ExternalURL: cfg.ExternalURL})},
	}
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
}

// Wait blocks until every worker started by Run has stopped.
func (a *App) Wait() { a.wg.Wait() }

// sweepTokens deletes expired admin tokens and portal sessions every hour so the table does not
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
			if n, err := a.store.DeleteExpiredPortalSessions(ctx); err != nil {
				a.logger.Warn("sweep expired portal sessions", "error", err)
			} else if n > 0 {
				a.logger.Debug("swept expired portal sessions", "count", n)
			}
		}
	}
}
