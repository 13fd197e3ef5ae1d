package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"canale/server/internal/balancer"
	"canale/server/internal/hdhomerun"
	"canale/server/internal/httpserver"
	"canale/server/internal/store"
	"canale/server/internal/subscriberview"
	"canale/shared/api"
)

// tunerMount is the subscribers' HDHomeRun tuners at /hdhr/<tuner token>:
// subscribers and line-ups from the read model, the token from the
// database (so a reset takes effect on every instance at once), streams
// relayed from the edge the balancer picks.
func (a *App) tunerMount(s *store.Store, bal *balancer.Balancer, logger *slog.Logger) httpserver.Mount {
	return httpserver.Mount{Prefix: hdhomerun.Prefix, Surface: hdhomerun.New(hdhomerun.Deps{
		Tuners: s, Directory: subscriberview.NewCatalogDirectory(a.catalog, s), Locator: bal,
		Guide: subscriberview.StoreGuide{Store: s}, Logger: logger.With("component", "hdhomerun"),
		ExternalURL: func() string { return a.catalog.Settings().ExternalURL }})}
}

func (f freshSubscribers) ResetTunerToken(ctx context.Context, actor api.Actor, id int64) (api.Subscriber, error) {
	s, err := f.Store.ResetTunerToken(ctx, actor, id)
	return f.written(ctx, s, err)
}

// startTunerDiscovery answers HDHomeRun discovery for the configured
// subscriber's tuners (the whole line-up's and one per package they hold),
// when one is configured. A port already taken is logged and the server
// runs on without discovery: media servers can always add a tuner by its
// URL.
func (a *App) startTunerDiscovery(ctx context.Context) {
	login := a.cfg.TunerDiscoveryLogin
	if login == "" {
		return
	}
	logger := a.logger.With("component", "hdhomerun")
	var warnOnce sync.Once
	d, err := hdhomerun.ListenDiscovery(a.cfg.TunerDiscoveryAddr, func(ctx context.Context) ([]hdhomerun.Advert, error) {
		site := a.catalog.Settings().ExternalURL
		if site == "" {
			return nil, errors.New("no external URL is set, so the tuner has no absolute URL to advertise")
		}
		t, err := a.store.DiscoveryTunerByLogin(ctx, login)
		if err != nil {
			return nil, err
		}
		if len(t.PackageIDs) > hdhomerun.MaxPackageAdverts {
			warnOnce.Do(func() {
				logger.Warn("tuner discovery announces only the first packages' tuners; the others are added by URL",
					"login", login, "packages", len(t.PackageIDs), "announced", hdhomerun.MaxPackageAdverts)
			})
		}
		return hdhomerun.AdvertsFor(site, t.Token, t.MaxSessions, t.PackageIDs), nil
	}, logger)
	if err != nil {
		logger.Error("tuner discovery is off: cannot listen", "addr", a.cfg.TunerDiscoveryAddr, "error", err)
		return
	}
	logger.Info("tuner discovery", "addr", d.Addr().String(), "login", login)
	a.spawn(ctx, d.Serve)
}
