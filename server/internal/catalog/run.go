package catalog

import (
	"context"
	"strconv"
	"strings"
	"time"

	"canale/shared/api"
)

// smallEntities are the entities whose change reloads the small tables;
// a change of api.EntitySubscriber refreshes one subscriber instead.
var smallEntities = map[api.Entity]bool{
	api.EntityChannel: true, api.EntityPackage: true, api.EntityReseller: true, api.EntitySettings: true,
	api.EntityVOD: true, api.EntityCategory: true, api.EntityStreamer: true, api.EntityPipeline: true,
}

// Notify queues a change for Run without blocking: it is the callback to
// give store.ListenChanges. When the queue is full the change is dropped and
// marked missed, and Run reconciles once it has taken what is queued: the
// flag is set while the queue is full, so Run sees it after its next take.
func (c *Catalog) Notify(ch api.Change) {
	select {
	case c.changes <- ch:
	default:
		c.missed.Store(true)
	}
}

// Run applies queued changes until ctx is done, reconciles the model with
// the database every ResyncInterval (see Reconcile), rebuilds it when a
// change asks for it or when replaced records pile up, and retries what
// failed while the database was away. The first full load is the caller's
// (Load), so a server never answers from an empty model. Rebuilds and
// reconciles run in the background: changes keep applying meanwhile.
func (c *Catalog) Run(ctx context.Context) {
	resync := time.NewTicker(c.opts.ResyncInterval)
	defer resync.Stop()
	var retry <-chan time.Time
	full, reconciled := make(chan error, 1), make(chan error, 1)
	// A rebuild or reconcile asked for while one runs is run after it: the
	// one running may have read before the change that asked. A paced
	// reconcile (twelve seconds over a million) is cancelled instead when an
	// urgent one is asked for: a bulk change should apply within a second.
	fullRunning, reconciling := false, false
	wantFull, wantReconcile, wantNow := false, false, false
	var cancelPaced context.CancelFunc // set while a paced reconcile runs
	superseded := false
	startFull := func() {
		if wantFull = fullRunning; !fullRunning {
			fullRunning = true
			go func() { full <- c.Load(ctx) }()
		}
	}
	// startReconcile starts the safety net, paced, or (now) one for a bulk
	// change, which should apply at once.
	startReconcile := func(now bool) {
		if fullRunning || reconciling {
			wantReconcile, wantNow = true, wantNow || now
			if now && cancelPaced != nil {
				cancelPaced()
				cancelPaced, superseded = nil, true
			}
			return
		}
		wantReconcile, wantNow, reconciling = false, false, true
		if now {
			go func() { _, err := c.reconcileNow(ctx); reconciled <- err }()
			return
		}
		rctx, cancel := context.WithCancel(ctx)
		cancelPaced = cancel
		go func() { _, err := c.Reconcile(rctx); cancel(); reconciled <- err }()
	}
	startWanted := func() {
		switch {
		case wantFull || c.needsCompaction():
			startFull()
		case wantReconcile:
			startReconcile(wantNow)
		}
	}
	// finished starts what was asked for meanwhile, or, after a failure,
	// retries later: at once would spin while the database is away.
	finished := func(what string, err error) {
		if err == nil {
			startWanted()
		} else if ctx.Err() == nil {
			c.log.Warn("catalog "+what+" failed; serving the last model", "error", err, "retry_in", c.opts.RetryInterval)
			retry = time.After(c.opts.RetryInterval)
		}
	}
	for {
		select {
		case <-ctx.Done():
			if fullRunning {
				<-full
			}
			if reconciling {
				<-reconciled
			}
			return
		case ch := <-c.changes:
			switch needFull, needReconcile := c.apply(ctx, ch); {
			case needFull || c.needsCompaction():
				startFull()
			case needReconcile:
				startReconcile(true)
			}
		case <-resync.C:
			startReconcile(false)
		case <-retry:
			retry = nil
			startFull()
		case err := <-full:
			fullRunning = false
			finished("load", err)
		case err := <-reconciled:
			reconciling, cancelPaced = false, nil
			if superseded {
				err, superseded = nil, false // cancelled for the urgent one wanted next
			}
			finished("reconcile", err)
		}
	}
}

// apply handles one change, coalescing the small-table changes queued behind
// it into one reload. It reports whether a full rebuild is needed: a reset
// (after one, ids start again from 1, which a version check cannot tell),
// or a failure to read (the database is away, and the rebuild retries); and
// whether a reconcile is: a bulk change of subscribers, which names none, or
// a resync after missed changes. A resync used to rebuild too; after a
// database blink every instance then read a million subscribers at once,
// just as play checks came back. A reset missed meanwhile is still caught:
// the reconcile sees the subscribers table was truncated
// (store.ReadCatalog.SubscribersEpoch).
func (c *Catalog) apply(ctx context.Context, first api.Change) (needFull, needReconcile bool) {
	reloadSmall := false
	for ch, more := first, true; more; ch, more = c.next() {
		switch {
		case ch.Entity == api.EntityAll && ch.Op == api.OpResync:
			needReconcile = true
		case ch.Entity == api.EntityAll || ch.Op == api.OpReset:
			needFull = true
		case ch.Entity == api.EntitySubscriber:
			if id, err := strconv.ParseInt(strings.TrimSpace(ch.ID), 10, 64); err != nil {
				needReconcile = true // a bulk change names no single subscriber
			} else if err := c.RefreshSubscriber(ctx, id); err != nil {
				c.log.Warn("refresh subscriber", "subscriber_id", id, "error", err)
				needFull = true
			}
		case smallEntities[ch.Entity]:
			reloadSmall = true
		}
	}
	if c.missed.Swap(false) {
		needReconcile = true
	}
	if reloadSmall && !needFull {
		if err := c.ReloadSmall(ctx); err != nil {
			c.log.Warn("reload catalog tables", "error", err)
			needFull = true
		}
	}
	return needFull, needReconcile
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
