package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"canale/server/internal/pace"
	"canale/server/internal/store"
	"canale/shared/api"
)

// Source is where the model is loaded from; *store.Store is one.
type Source interface {
	EachReadSubscriber(ctx context.Context, fn func(*store.ReadSubscriber) error) error
	FindReadSubscriber(ctx context.Context, id int64) (store.ReadSubscriber, error)
	LoadReadCatalog(ctx context.Context) (store.ReadCatalog, error)
	SubscriberVersions(ctx context.Context, after int64, limit int) ([]store.SubscriberVersion, error)
}

// Options tune a Catalog; zero values take the defaults.
type Options struct {
	// ResyncInterval is how often the model is reconciled with the
	// database (see Reconcile), a safety net against a lost notification or
	// an edit made outside Canale; default 5 minutes.
	ResyncInterval time.Duration
	// RetryInterval is how soon a failed load is retried; default 2 s.
	RetryInterval time.Duration
	// ReconcilePause is the pause between two steps of a reconcile
	// (reconcileStep subscribers each); default 50 ms, negative for none.
	ReconcilePause time.Duration
	// BackgroundShare is the share of one CPU a rebuild or reconcile may
	// take (see package pace); default pace.DefaultShare, 1 or more for
	// no pacing.
	BackgroundShare float64
}

// changeQueue is how many changes wait for Run before Notify drops them
// and asks for a reconcile instead.
const changeQueue = 4096

// Catalog is the read model. Create it with New, fill it with Load, keep it
// current with Run (or Apply).
type Catalog struct {
	src  Source
	log  *slog.Logger
	opts Options

	subs  atomic.Pointer[subscriberIndex]
	small atomic.Pointer[small]
	// version counts the swaps of the small tables (and full loads), so
	// caches of what is rendered from them can tell when to drop it.
	version atomic.Uint64

	// writeMu serialises writers of the current subscriber index, so two
	// refreshes of one subscriber cannot interleave their key updates.
	writeMu sync.Mutex
	// fullMu is held by a full rebuild; dirty collects the subscribers
	// refreshed meanwhile, which are refreshed again on the new index.
	fullMu  sync.Mutex
	dirtyMu sync.Mutex
	dirty   map[int64]bool // true once the refresh was applied to the live index
	// smallTickets numbers the reads of the small tables in the order
	// they start; smallAt is the number of the snapshot in place (under
	// smallMu). See swapSmall.
	smallTickets atomic.Uint64
	smallMu      sync.Mutex
	smallAt      uint64

	changes   chan api.Change
	missed    atomic.Bool // Notify dropped a change: the queue was full
	stats     atomic.Pointer[LoadStats]
	reconcile atomic.Pointer[ReconcileStats]
}

// LoadStats describes the last full load.
type LoadStats struct {
	At          time.Time
	Duration    time.Duration
	Subscribers int
}

// New returns an empty catalog reading from src.
func New(src Source, logger *slog.Logger, opts Options) *Catalog {
	if opts.ResyncInterval <= 0 {
		opts.ResyncInterval = 5 * time.Minute
	}
	if opts.RetryInterval <= 0 {
		opts.RetryInterval = 2 * time.Second
	}
	if opts.ReconcilePause == 0 {
		opts.ReconcilePause = 50 * time.Millisecond
	}
	if opts.BackgroundShare <= 0 {
		opts.BackgroundShare = pace.DefaultShare
	}
	c := &Catalog{src: src, log: logger, opts: opts, changes: make(chan api.Change, changeQueue)}
	c.subs.Store(newSubscriberIndex(0))
	c.small.Store(newSmall(store.ReadCatalog{}))
	return c
}

// Load rebuilds the whole model from the source beside the old one, which
// keeps answering, and swaps it in. It is paced (Options.BackgroundShare):
// it takes longer than it could, and play checks keep their CPU. The first
// load is not: nothing answers from the empty model, and a server starting
// should be ready at once. On error the previous model stays in place.
func (c *Catalog) Load(ctx context.Context) error {
	c.fullMu.Lock()
	defer c.fullMu.Unlock()
	start := time.Now()
	c.dirtyMu.Lock()
	c.dirty = map[int64]bool{}
	c.dirtyMu.Unlock()
	defer func() { c.dirtyMu.Lock(); c.dirty = nil; c.dirtyMu.Unlock() }()

	ticket := c.smallTickets.Add(1)
	sm, err := c.src.LoadReadCatalog(ctx)
	if err != nil {
		return err
	}
	idx := newSubscriberIndex(c.subs.Load().count())
	idx.epoch = sm.SubscribersEpoch
	var s Subscriber
	p := c.pacer()
	if c.stats.Load() == nil {
		p = pace.New(1)
	}
	err = c.src.EachReadSubscriber(ctx, func(r *store.ReadSubscriber) error {
		fillSubscriber(&s, r)
		idx.put(&s)
		return p.Step(ctx)
	})
	if err != nil {
		return fmt.Errorf("load subscribers: %w", err)
	}
	c.writeMu.Lock()
	c.carryRefreshes(c.subs.Load(), idx)
	c.subs.Store(idx)
	c.writeMu.Unlock()
	c.swapSmall(newSmall(sm), ticket)
	c.refreshDirty(ctx, p)
	st := &LoadStats{At: start, Duration: time.Since(start), Subscribers: idx.count()}
	c.stats.Store(st)
	c.log.Info("catalog loaded", "subscribers", st.Subscribers, "duration", st.Duration)
	return nil
}

func (c *Catalog) pacer() *pace.Pacer { return pace.New(c.opts.BackgroundShare) }

// swapSmall puts sm, read under ticket, in place unless a snapshot whose
// read started later is there already, and reports whether it did. Two
// reads that overlap can finish in the wrong order (a reload started
// before a change finishing after the one the change triggered); the
// later-started one holds every change committed before it started, so
// it wins. The version moves on with every full load as well.
func (c *Catalog) swapSmall(sm *small, ticket uint64) bool {
	c.smallMu.Lock()
	defer c.smallMu.Unlock()
	c.version.Add(1)
	if ticket < c.smallAt {
		return false
	}
	c.smallAt = ticket
	c.small.Store(sm)
	return true
}

// carryRefreshes copies into the rebuilt index idx what the refreshes
// applied to the live index old while the rebuild was reading: its
// snapshot may predate them, and publishing it bare would answer with a
// reset token's old value until refreshDirty read them again. c.writeMu is
// held, so no refresh lands in between. A refresh still in flight applies
// itself to idx once published.
func (c *Catalog) carryRefreshes(old, idx *subscriberIndex) {
	c.dirtyMu.Lock()
	defer c.dirtyMu.Unlock()
	for id, applied := range c.dirty {
		if !applied {
			continue
		}
		cur, ok := old.byID(id)
		if !ok {
			idx.remove(id)
			continue
		}
		if n, ok := idx.byID(id); !ok || n.Version <= cur.Version {
			idx.put(cur)
		}
	}
}

// refreshDirty re-reads subscribers that changed while a rebuild was reading,
// since the rebuild's snapshot may predate their change.
func (c *Catalog) refreshDirty(ctx context.Context, p *pace.Pacer) {
	c.dirtyMu.Lock()
	ids := c.dirty
	c.dirty = nil
	c.dirtyMu.Unlock()
	for id := range ids {
		if err := c.RefreshSubscriber(ctx, id); err != nil {
			c.log.Warn("refresh subscriber after load", "subscriber_id", id, "error", err)
		}
		_ = p.Check(ctx) // a query each: look at the clock every time; a cancelled ctx fails the next refresh
	}
}

// Stats describes the last full load; zero before the first.
func (c *Catalog) Stats() LoadStats {
	if s := c.stats.Load(); s != nil {
		return *s
	}
	return LoadStats{}
}

// RefreshSubscriber re-reads one subscriber and replaces (or removes) its
// entries. Writers call it right after changing a subscriber (a token reset)
// so the change applies on this instance at once; other instances get it
// through the change events.
//
// Two refreshes of one subscriber can overlap: the change listener's, for
// an earlier edit, and a writer's for the next one. The read is made
// outside the lock, so the older read may come to the lock last; a record
// older than the one the model holds is therefore dropped, or a token
// reset just answered would be undone and the old token let in again.
// Every edit bumps the version (migration 011 for edits outside Canale).
func (c *Catalog) RefreshSubscriber(ctx context.Context, id int64) error {
	c.markDirty(id)
	r, err := c.src.FindReadSubscriber(ctx, id)
	if err != nil && api.ErrorCode(err) != api.CodeNotFound {
		return err
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	defer c.markApplied(id)
	idx := c.subs.Load()
	if err != nil {
		idx.remove(id)
		return nil
	}
	if cur, ok := idx.byID(id); ok && cur.Version > r.Version {
		return nil
	}
	idx.put(newSubscriber(&r))
	return nil
}

// markDirty notes, while a rebuild reads, that id is being read again.
func (c *Catalog) markDirty(id int64) {
	c.dirtyMu.Lock()
	if c.dirty != nil {
		if _, seen := c.dirty[id]; !seen {
			c.dirty[id] = false // in flight; an earlier refresh already applied stays true
		}
	}
	c.dirtyMu.Unlock()
}

// markApplied notes that id's refresh reached the live index; c.writeMu is
// held.
func (c *Catalog) markApplied(id int64) {
	c.dirtyMu.Lock()
	if c.dirty != nil {
		c.dirty[id] = true
	}
	c.dirtyMu.Unlock()
}

// ReloadSmall reloads every table but subscribers and swaps them in. It
// does not wait for a rebuild that runs (a paced one takes seconds):
// swapSmall keeps the snapshot whose read started last.
func (c *Catalog) ReloadSmall(ctx context.Context) error {
	ticket := c.smallTickets.Add(1)
	sm, err := c.src.LoadReadCatalog(ctx)
	if err != nil {
		return err
	}
	c.swapSmall(newSmall(sm), ticket)
	return nil
}

// Version changes whenever channels, packages, VOD, categories, settings or
// any other small table change (and on every full load); a subscriber's own
// changes show in its Version instead. Caches of rendered line-ups key on
// both.
func (c *Catalog) Version() uint64 { return c.version.Load() }
