package app

import (
	"context"
	"log/slog"

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
