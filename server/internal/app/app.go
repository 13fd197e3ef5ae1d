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
	"canale/server/internal/alerting"
	"canale/server/internal/backup"
	"canale/server/internal/balancer"
	"canale/server/internal/catalog"
	"canale/server/internal/config"
	"canale/server/internal/configext"
	"canale/server/internal/credential"
	"canale/server/internal/epgimport"
	"canale/server/internal/eventhub"
	"canale/server/internal/fleet"
	"canale/server/internal/httpserver"
	"canale/server/internal/playauth"
	"canale/server/internal/portal"
	"canale/server/internal/resellerpanel"
	"canale/server/internal/signin"
	"canale/server/internal/stalker"
	"canale/server/internal/store"
	"canale/server/internal/subscriberapi"
	"canale/server/internal/subscriberview"
	"canale/server/internal/xtream"
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
	xtream   *xtream.API
	admin    *adminapi.API
	playauth *playauth.Service
	epg      *epgimport.Importer
	fleet    *fleet.Manager
	events   *eventhub.Hub
	subAuth  *subscriberview.Authenticator   // subscriber sign-ins, forgotten on subscriber changes
	hasher   *credential.Hasher              // bounds the password hashing of every sign-in
	sink     atomic.Pointer[func(api.Event)] // tests' extra event sink
	alerts   *alerting.Alerter
	backups  *backup.Service
	portal   *portal.Portal // answers the addresses nothing else does, with a styled 404
	stalker  *stalker.API   // its device cache follows device changes

	listening     chan struct{} // closed once changes from PostgreSQL are heard
	listeningOnce sync.Once
	loading       atomic.Bool // the first catalog load has begun

	acme      *acme.Manager
	httpsOnce sync.Once
	runCtx    context.Context

	wg sync.WaitGroup
}

// New wires the components. It starts nothing; call Run for the workers.
func New(cfg config.Config, s *store.Store, logger *slog.Logger, version string) *App {
	a := &App{cfg: cfg, store: s, logger: logger, version: version, registry: httpserver.NewRegistry(),
		events: eventhub.New(eventhub.Options{Logger: logger}), listening: make(chan struct{}), alerts: alerting.New()}
	a.acme = newACME(cfg, s, logger, a.startHTTPS)
	a.catalog = catalog.New(s, logger.With("component", "catalog"), catalog.Options{})
	a.playauth = playauth.New(playauth.Deps{Catalog: a.catalog, Store: s, Refusals: s, Logger: logger.With("component", "playauth"),
		Registry: a.registry})
	a.fleet = fleet.NewManager(fleet.ManagerConfig{Catalog: s, Logger: logger.With("component", "fleet"),
		Publish: a.publish, ExternalURL: cfg.ExternalURL})
	a.epg = epgimport.New(epgimport.Config{Store: s, Logger: logger.With("component", "epg"), Publish: a.publish})
	a.backups = backup.NewService(backup.ServiceConfig{Store: s, Dir: backup.Dir(cfg.DataDir),
		Logger: logger.With("component", "backup"), Publish: a.publish, Schedule: cfg.DatabaseURL == ""})
	// One bound on password hashing for every sign-in surface.
	a.hasher = credential.NewHasher(credential.HasherOptions{})
	s.HashPasswordsWith(signin.WriteHasher{Hasher: a.hasher})
	fresh := freshSubscribers{Store: s, cat: a.catalog, log: logger.With("component", "catalog")}
	admin := adminapi.New(adminapi.Deps{Hasher: a.hasher, Auth: s, Staff: s, Audit: s, TLS: a.acme, Events: a.events, Catalog: s,
		Subscribers: fresh, Resellers: s,
		Fleet: a.fleet, Sessions: a.playauth, Refusals: a.playauth, Alerts: alerting.Desk{Alerter: a.alerts, Store: s, Now: time.Now}, EPG: s, EPGImports: a.epg, Backups: a.backups, Logger: logger, TokenTTL: cfg.AdminTokenTTL, Version: version,
		ExternalURL: cfg.ExternalURL, EffectiveExternalURL: func() string { return a.catalog.Settings().ExternalURL },
		Devices: s})
	a.admin = admin
	bal := balancer.New(a.fleet)
	var metricsGuard []gin.HandlerFunc
	if cfg.MetricsAddr == "" {
		metricsGuard = admin.StaffOnly() // no listener of its own: staff tokens only
	}
	a.engine = httpserver.New(httpserver.Options{
		Logger: logger, Registry: a.registry, Ready: s, Version: version,
		TrustedProxies: cfg.TrustedProxies, MetricsGuard: metricsGuard,
		Mounts: append([]httpserver.Mount{
			{Prefix: "/api/v1", Surface: admin},
			{Prefix: "/", Surface: &adminapi.Logos{API: admin, Store: s}},
			// Streamer-facing: play authorization (/flussonic/:secret/auth,
			// /nginx/:secret/auth) and config_external on the same prefix.
			{Prefix: "", Surface: a.playauth},
			{Prefix: "/flussonic/:secret", Surface: &configext.Handler{Source: a.fleet, Guard: a.playauth.RequireSecret}},
			{Prefix: "/lb/-", Surface: bal},
			// The reseller panel writes through the same refreshing store.
			{Prefix: "/reseller", Surface: resellerpanel.New(resellerpanel.Deps{Accounts: admin, Store: fresh, Sessions: a.playauth, Hasher: a.hasher, Logger: logger, ExternalURL: func() string { return a.catalog.Settings().ExternalURL },
				Currency: func() string { return a.branding().Currency }})},
		}, append(a.subscriberMounts(cfg, s, logger), a.tunerMount(s, bal, logger))...),
	})
	// Player URLs live at the root, so the balancer answers what no route
	// matched; XC's prefixless /U/P/<id> takes what the balancer leaves.
	a.engine.NoRoute(bal.NoRoute, a.xtream.LegacyLive, a.portal.NotFound)
	return a
}

// subscriberMounts are the surfaces subscribers and their players use, all at
// the root: the portal, the token playlists and the Xtream API. They read
// subscribers and line-ups from the in-memory read model only (a token reset
// writes to the database, then refreshes the model); the guide and the
// portal's sign-ins stay in the database, off the players' hot paths.
func (a *App) subscriberMounts(cfg config.Config, s *store.Store, logger *slog.Logger) []httpserver.Mount {
	dir := subscriberview.NewCatalogDirectory(a.catalog, s)
	a.subAuth = subscriberview.NewAuthenticator(dir, subscriberview.AuthOptions{Hasher: a.hasher, Upgrader: s,
		Logger: logger.With("component", "signin")})
	guide := subscriberview.StoreGuide{Store: s}
	a.xtream = xtream.New(xtream.Deps{Auth: a.subAuth, Directory: dir, Plays: a.playauth, Guide: guide, Logger: logger,
		ExternalURL: cfg.ExternalURL})
	a.portal = portal.New(portal.Deps{Auth: a.subAuth, Directory: dir, Sessions: subscriberview.NewSessions(s),
		Plays: a.playauth, Guide: guide, Logger: logger, ExternalURL: cfg.ExternalURL, Tuners: s, Devices: s,
		Branding: a.branding, Favourites: s})
	return []httpserver.Mount{
		{Prefix: "", Surface: a.portal},
		{Prefix: "", Surface: subscriberapi.New(subscriberapi.Deps{Directory: dir, Guide: guide, Logger: logger,
			ExternalURL: cfg.ExternalURL})},
		{Prefix: "", Surface: a.xtream},
		a.stalkerMount(cfg, s, dir, logger),
	}
}

// Handler is the HTTP handler of every surface, answering Let's Encrypt
// HTTP-01 challenges too.
func (a *App) Handler() http.Handler { return a.acme.HTTPHandler(a.engine) }

// MetricsHandler serves /metrics alone, for the listener of
// CANALE_METRICS_ADDR.
func (a *App) MetricsHandler() http.Handler { return httpserver.MetricsHandler(a.registry) }

// Engine exposes the Gin engine, whose route list the tests walk.
func (a *App) Engine() *gin.Engine { return a.engine }

// Catalog is the instance's read model.
func (a *App) Catalog() *catalog.Catalog { return a.catalog }

// EPG returns the EPG importer, for the command line and tests.
func (a *App) EPG() *epgimport.Importer { return a.epg }

// PlayAuth is the instance's play-authorization service.
func (a *App) PlayAuth() *playauth.Service { return a.playauth }

// AuthURL is the auth_url to configure on streamers, empty until the
// settings name an external URL and a streamer secret.
func (a *App) AuthURL() string { return a.playauth.AuthURL() }

// Fleet is the fleet manager: streamer health, placements, config_external.
func (a *App) Fleet() *fleet.Manager { return a.fleet }

// Events is the hub that pushes events to desktop apps; components publish
// to it after their changes commit.
func (a *App) Events() *eventhub.Hub { return a.events }

// Listening is closed once the instance hears committed changes (its LISTEN
// is in place), so tests can make a change and expect to see its effect.
func (a *App) Listening() <-chan struct{} { return a.listening }

// SetEventSink adds a receiver of every event published to desktop apps
// (tests use it to watch fleet transitions).
func (a *App) SetEventSink(f func(api.Event)) { a.sink.Store(&f) }

// publish sends an event to every connected desktop app, followed by the
// alert it raises, if any.
func (a *App) publish(e api.Event) {
	a.send(e)
	if alert, ok := a.alerts.AlertFor(e); ok {
		a.sendAlert(alert)
	}
}

// sendAlert sends an alert to every connected desktop app, followed, for a
// recovery, by the change that closes the trouble it answers.
func (a *App) sendAlert(alert api.Alert) {
	ae, err := api.NewEvent(api.EventAlert, alert)
	if err != nil {
		a.logger.Error("wrap alert event", "error", err)
		return
	}
	a.send(ae)
	a.sendResolved(alert)
}

func (a *App) send(e api.Event) {
	a.events.Publish(e)
	if f := a.sink.Load(); f != nil {
		(*f)(e)
	}
}
