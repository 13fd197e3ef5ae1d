package app

import (
	"log/slog"

	"canale/server/internal/config"
	"canale/server/internal/httpserver"
	"canale/server/internal/stalker"
	"canale/server/internal/store"
	"canale/server/internal/subscriberview"
	"canale/shared/api"
)

// stalkerMount is the Stalker/MAG portal at the root (its loader paths are
// fixed by the boxes), reading line-ups from the read model like the
// Xtream API and signing minted links with the streamer secret that play
// authorization checks them with.
func (a *App) stalkerMount(cfg config.Config, s *store.Store, dir *subscriberview.CatalogDirectory, logger *slog.Logger) httpserver.Mount {
	a.stalker = stalker.New(stalker.Deps{Devices: s, Directory: dir, Auth: a.subAuth,
		Guide: subscriberview.StoreGuide{Store: s}, Secret: func() string { return a.catalog.Settings().StreamerSecret },
		Logger: logger.With("component", "stalker"), ExternalURL: cfg.ExternalURL, Alert: a.noticeAlert})
	return httpserver.Mount{Prefix: "", Surface: a.stalker}
}

// noticeAlert shows an alert that is its own occurrence (no trouble to
// recover from) to every connected desktop app and keeps it until
// acknowledged.
func (a *App) noticeAlert(al api.Alert) {
	a.sendAlert(a.alerts.Notice(al))
}
