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
	api.EntitySeries: true, api.EntitySeason: true, api.EntityEpisode: true,
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
// reconciles run in the background, paced (package pace): changes keep
// applying and play checks keep their answer time meanwhile. When to start
// which job is the scheduler's decision (scheduler.go); Run only carries
// it out.
func (c *Catalog) Run(ctx context.Context) {
	r := runner{c: c, ctx: ctx, rebuilt: make(chan error, 1), reconciled: make(chan error, 1)}
	resync := time.NewTicker(c.opts.ResyncInterval)
	defer resync.Stop()
	for {
		select {
		case <-ctx.Done():
			r.wait()
			return
		case ch := <-c.changes:
			needFull, needReconcile := c.apply(ctx, ch)
			r.do(r.s.changed(needFull, needReconcile, c.needsCompaction()))
		case <-resync.C:
			r.do(r.s.tick())
		case <-r.retry:
			r.retry = nil
			r.do(r.s.retry())
		case err := <-r.rebuilt:
			r.failed("rebuild", err)
			r.do(r.s.rebuilt(err != nil, c.needsCompaction()))
		case err := <-r.reconciled:
			if !r.s.superseded {
				r.failed("reconcile", err)
			}
			r.do(r.s.reconciled(err != nil, c.needsCompaction()))
		}
	}
}

// runner carries out the scheduler's steps for Run: it starts the jobs,
// cancels the paced reconcile and arms the retry timer.
type runner struct {
	c           *Catalog
	ctx         context.Context
	s           scheduler
	rebuilt     chan error
	reconciled  chan error
	cancelPaced context.CancelFunc // set while a paced reconcile runs
	retry       <-chan time.Time
}

func (r *runner) do(st step) {
	if st.cancelPaced && r.cancelPaced != nil {
		r.cancelPaced()
	}
	if st.retryLater && r.ctx.Err() == nil {
		r.retry = time.After(r.c.opts.RetryInterval)
	}
	switch st.start {
	case jobRebuild:
		go func() { r.rebuilt <- r.c.Load(r.ctx) }()
	case jobReconcileNow:
		go func() { _, err := r.c.reconcileNow(r.ctx); r.reconciled <- err }()
	case jobReconcile:
		rctx, cancel := context.WithCancel(r.ctx)
		r.cancelPaced = cancel
		go func() { _, err := r.c.Reconcile(rctx); cancel(); r.reconciled <- err }()
	}
}

// failed logs a job's failure: the last model keeps serving meanwhile.
func (r *runner) failed(what string, err error) {
	if err != nil && r.ctx.Err() == nil {
		r.c.log.Warn("catalog "+what+" failed; serving the last model", "error", err, "retry_in", r.c.opts.RetryInterval)
	}
}

// wait waits for the jobs that run, which end once ctx is done.
func (r *runner) wait() {
	if r.s.rebuilding {
		<-r.rebuilt
	}
	if r.s.reconciling != jobNone {
		<-r.reconciled
	}
}

// apply handles one change, coalescing the small-table changes queued behind
// it into one reload. It reports whether a full rebuild is needed: a reset
// (after one, ids start again from 1, which a version check cannot tell),
// or a failure to read (the database is away, and the rebuild retries); and
// whether a reconcile is: a bulk change of subscribers, which names none, or
// a resync after missed changes. A reset of a small table (a playlist
// import resets the channels) only reloads the small tables: rebuilding a
// million subscribers for it cost the play checks for nothing. A resync used to rebuild too; after a
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
		case ch.Entity == api.EntityAll || (ch.Op == api.OpReset && !smallEntities[ch.Entity]):
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
