package catalog

import (
	"context"
	"strconv"
	"strings"
	"time"

	"canale/shared/api"
)

// subscriberEntity is the Change entity of subscribers; every other catalog
// entity reloads the small tables.
const subscriberEntity = "subscriber"

// smallEntities are the entities whose change reloads the small tables.
var smallEntities = map[string]bool{
	"channel": true, "package": true, "reseller": true, "settings": true, "vod": true,
	"category": true, "streamer": true, "pipeline": true,
}

// Notify queues a change for Run without blocking: it is the callback to
// give store.ListenChanges. When the queue is full the change is replaced by
// a full reload, which covers it.
func (c *Catalog) Notify(ch api.Change) {
	select {
	case c.changes <- ch:
	default:
		select {
		case c.changes <- api.Change{Entity: "*", Op: "reset"}:
		default: // a reset is certainly queued already or will be after the ones queued
		}
	}
}

// Run applies queued changes until ctx is done, rebuilds the whole model
// every ResyncInterval, and retries what failed while the database was away.
// The first full load is the caller's (Load), so a server never answers from
// an empty model.
func (c *Catalog) Run(ctx context.Context) {
	resync := time.NewTicker(c.opts.ResyncInterval)
	defer resync.Stop()
	var retry <-chan time.Time
	full := make(chan error, 1)
	fullRunning := false
	startFull := func() {
		if fullRunning {
			return
		}
		fullRunning = true
		go func() { full <- c.Load(ctx) }()
	}
	for {
		select {
		case <-ctx.Done():
			if fullRunning {
				<-full
			}
			return
		case ch := <-c.changes:
			if needFull := c.apply(ctx, ch); needFull {
				startFull()
			}
		case <-resync.C:
			startFull()
		case <-retry:
			retry = nil
			startFull()
		case err := <-full:
			fullRunning = false
			if err != nil && ctx.Err() == nil {
				c.log.Warn("catalog load failed; serving the last model", "error", err, "retry_in", c.opts.RetryInterval)
				retry = time.After(c.opts.RetryInterval)
			}
		}
	}
}

// apply handles one change, coalescing the small-table changes queued behind
// it into one reload. It reports whether a full rebuild is needed: a reset,
// or a failure to read (the database is away, and the rebuild retries).
func (c *Catalog) apply(ctx context.Context, first api.Change) (needFull bool) {
	reloadSmall := false
	for ch, more := first, true; more; ch, more = c.next() {
		switch {
		case ch.Entity == "*" || ch.Op == "reset":
			needFull = true
		case ch.Entity == subscriberEntity:
			if id, err := strconv.ParseInt(strings.TrimSpace(ch.ID), 10, 64); err != nil {
				needFull = true // a bulk change names no single subscriber
			} else if err := c.RefreshSubscriber(ctx, id); err != nil {
				c.log.Warn("refresh subscriber", "subscriber_id", id, "error", err)
				needFull = true
			}
		case smallEntities[ch.Entity]:
			reloadSmall = true
		}
	}
	if reloadSmall && !needFull {
		if err := c.ReloadSmall(ctx); err != nil {
			c.log.Warn("reload catalog tables", "error", err)
			needFull = true
		}
	}
	return needFull
}

// next returns a queued change without waiting.
func (c *Catalog) next() (api.Change, bool) {
	select {
	case ch := <-c.changes:
		return ch, true
	default:
		return api.Change{}, false
	}
}
