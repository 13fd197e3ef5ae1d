package app

import (
	"log/slog"

	"canale/server/internal/balancer"
	"canale/server/internal/hdhomerun"
	"canale/server/internal/httpserver"
	"canale/server/internal/store"
	"canale/server/internal/subscriberview"
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
