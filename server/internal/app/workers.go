package app

import (
	"context"
	"strconv"
	"time"

	"canale/shared/api"
)

// Run loads the read model, then starts the background workers; they stop
// when ctx is done, and Wait waits for them. Run returns once the model is
// loaded (retrying while the database is away), so the instance never
// answers a streamer from an empty model.
func (a *App) Run(ctx context.Context) {
	a.runCtx = ctx
	a.seedExternalURL(ctx)
	if err := a.acme.Load(ctx); err != nil {
		a.logger.Error("load TLS settings", "error", err)
	} else if a.acme.Enabled() {
		a.startHTTPS()
	}
	// Listen before the first load, so no change committed meanwhile is
	// lost: wait for the LISTEN a little. If it comes later, its first
	// resync is applied rather than skipped (see onChange).
	a.spawn(ctx, func(ctx context.Context) {
		_ = a.store.ListenChanges(ctx, a.onChange)
		a.events.CloseAll() // http.Server.Shutdown does not track hijacked websockets
	})
	select {
	case <-a.listening:
	case <-time.After(listenWait):
	case <-ctx.Done():
	}
	a.loadCatalog(ctx)
	a.spawn(ctx, a.sweepTokens)
	a.spawn(ctx, a.catalog.Run)
	a.spawn(ctx, a.playauth.Run)
	a.spawn(ctx, func(ctx context.Context) { _ = a.fleet.Run(ctx) })
	a.spawn(ctx, a.epg.Run)
	a.spawn(ctx, a.backups.Run)
	a.startTunerDiscovery(ctx)
}

// seedExternalURL stores the --external-url flag as the external URL when
// the settings have none (or one the flag seeded), so streamers get their
// auth_url and config_external URL from the one value the API shows.
func (a *App) seedExternalURL(ctx context.Context) {
	if a.cfg.ExternalURL == "" {
		return
	}
	if _, err := a.store.SeedExternalURL(ctx, api.SystemActor("--external-url"), a.cfg.ExternalURL); err != nil {
		a.logger.Warn("seed external_url from --external-url", "error", err)
	}
}

// onChange passes a committed change (a NOTIFY payload, from any instance) to
// every component that keeps state in memory, and to the desktop apps.
func (a *App) onChange(c api.Change) {
	if c.Entity == api.EntityAll && c.Op == api.OpResync && a.listenedBeforeLoad() {
		return // the first load reads after the LISTEN: nothing missed yet
	}
	a.forgetSignIns(c) // before the catalog applies it, while it still knows the old login
	a.catalog.Notify(c)
	a.admin.ForgetLogos(c)
	a.playauth.Notify(c)
	a.fleet.OnChange(c)
	a.alerts.Notify(c)
	a.stalker.Notify(c)
	if c.Entity == api.EntityAdmin && c.Op == api.OpRekey {
		if id, err := strconv.ParseInt(c.ID, 10, 64); err == nil {
			a.events.CloseAdmin(id) // `canale setup init` may run in another process
		}
	}
	e, err := api.NewEvent(api.EventChange, c)
	if err != nil {
		a.logger.Error("wrap change event", "error", err)
		return
	}
	a.publish(e)
}

// forgetSignIns drops the subscriber sign-in cache of a changed subscriber
// (all of it after a bulk change or a reset), so nothing about the old row
// outlives the change. The password-hash check already covers password
// changes; this covers the rest (login renames, deletions).
func (a *App) forgetSignIns(c api.Change) {
	switch {
	case c.Entity == api.EntityAll || (c.Entity == api.EntitySubscriber && c.Op == api.OpReset):
		a.subAuth.ForgetAll()
	case c.Entity == api.EntitySubscriber:
		id, err := strconv.ParseInt(c.ID, 10, 64)
		if err != nil {
			a.subAuth.ForgetAll()
			return
		}
		if s, ok := a.catalog.SubscriberByID(id); ok {
			a.subAuth.Forget(s.Login)
		}
	}
}

// listenedBeforeLoad marks the instance as listening; the first time, it
// reports whether the first catalog load had not begun yet, so its
// snapshot is sure to follow the LISTEN.
func (a *App) listenedBeforeLoad() bool {
	before := false
	a.listeningOnce.Do(func() { before = !a.loading.Load(); close(a.listening) })
	return before
}

func (a *App) spawn(ctx context.Context, f func(context.Context)) {
	a.wg.Add(1)
	go func() { defer a.wg.Done(); f(ctx) }()
}

// Wait blocks until every worker started by Run has stopped.
func (a *App) Wait() { a.wg.Wait() }

// listenWait is how long the first load waits for the LISTEN to be in place.
const listenWait = 3 * time.Second

// loadCatalog makes the first load, retrying every two seconds.
func (a *App) loadCatalog(ctx context.Context) {
	a.loading.Store(true)
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

// sweepTokens deletes expired admin and reseller tokens and portal
// sessions every hour so the tables do not grow with every sign-in.
func (a *App) sweepTokens(ctx context.Context) {
	sweeps := []struct {
		what string
		run  func(context.Context) (int64, error)
	}{
		{"admin tokens", a.store.DeleteExpiredAdminTokens},
		{"reseller tokens", a.store.DeleteExpiredResellerTokens},
		{"portal sessions", a.store.DeleteExpiredPortalSessions},
	}
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, sw := range sweeps {
				if n, err := sw.run(ctx); err != nil {
					a.logger.Warn("sweep expired "+sw.what, "error", err)
				} else if n > 0 {
					a.logger.Debug("swept expired "+sw.what, "count", n)
				}
			}
		}
	}
}
