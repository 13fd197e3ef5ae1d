package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"canale/server/internal/pace"
)

// When more than one subscriber in rebuildShare differs (and more than
// minRebuild), Reconcile rebuilds the model instead of reading the
// differing subscribers one by one.
const (
	rebuildShare = 10
	minRebuild   = 1000
)

// reconcileStep is how many versions a reconcile reads at once. With the
// default pause between steps a million subscribers take about twelve
// seconds, during which the work shows as a few milliseconds every 50 ms;
// read in one go they took 0.7 s of both CPUs, and play checks at half of
// peak waited 200 ms at p99 meanwhile.
const reconcileStep = 5000

// minCompaction is the fewest dead records worth a rebuild; below it the
// memory they hold is not worth the work.
const minCompaction = 50_000

// ReconcileStats describes one reconcile.
type ReconcileStats struct {
	At       time.Time
	Duration time.Duration
	// Checked is how many subscribers the database holds.
	Checked int
	// Refreshed is how many were read again: a version that differs, or a
	// subscriber only one side holds.
	Refreshed int
	// Rebuilt is set when so many differed that the whole model was loaded.
	Rebuilt bool
}

// Reconcile is the safety net under the change events: it reloads the small
// tables and compares every subscriber's version in the database with the
// one in the model, then reads again only those that differ, or rebuilds
// when many do. It replaced a full rebuild every five minutes, which over a
// million subscribers took five seconds of both CPUs and a second copy of
// the model: play checks at half of peak measured 360 ms at p99 during
// one. A reconcile of a million, paced, takes about twelve seconds and
// leaves that p99 where it was (`make bench` prints both).
//
// Every edit shows in the version: Canale's writes bump it, and the
// triggers of migration 011 bump it for edits made outside Canale.
func (c *Catalog) Reconcile(ctx context.Context) (ReconcileStats, error) {
	return c.reconcileWith(ctx, c.opts.ReconcilePause)
}

// reconcileNow is Reconcile without pauses, for a bulk change (an import)
// that names no subscriber: its subscribers should play at once, and a
// million versions read in one go take under a second.
func (c *Catalog) reconcileNow(ctx context.Context) (ReconcileStats, error) {
	return c.reconcileWith(ctx, -1)
}

func (c *Catalog) reconcileWith(ctx context.Context, pause time.Duration) (ReconcileStats, error) {
	st := ReconcileStats{At: time.Now()}
	if err := c.ReloadSmall(ctx); err != nil {
		return st, err
	}
	var ids []int64
	var err error
	if c.small.Load().epoch != c.subs.Load().epoch {
		st.Rebuilt = true // the table was truncated since the load: versions say nothing
	} else {
		ids, err = c.differing(ctx, &st, pause)
	}
	if err == nil {
		if st.Rebuilt {
			err = c.Load(ctx)
			st.Checked = c.SubscriberCount()
		} else {
			err = c.refreshAll(ctx, ids)
			st.Refreshed = len(ids)
		}
	}
	st.Duration = time.Since(st.At)
	if err != nil {
		return st, err
	}
	c.reconcile.Store(&st)
	level := slog.LevelDebug
	if st.Refreshed > 0 || st.Rebuilt {
		level = slog.LevelInfo // the events missed something: worth a line
	}
	c.log.Log(ctx, level, "catalog reconciled", "subscribers", st.Checked, "refreshed", st.Refreshed,
		"rebuilt", st.Rebuilt, "duration", st.Duration)
	return st, nil
}

// differing walks the database's versions in steps, pausing between them,
// and returns the ids to read again: a version that differs from the
// model's, or a subscriber only one side holds. It sets st.Rebuilt instead
// when so many differ that a rebuild is cheaper.
func (c *Catalog) differing(ctx context.Context, st *ReconcileStats, pause time.Duration) ([]int64, error) {
	x := c.subs.Load()
	var out, all []int64
	held := 0
	p := c.pacer()
	for after := int64(0); ; {
		vs, err := c.src.SubscriberVersions(ctx, after, reconcileStep)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			all = append(all, v.ID)
			version, ok := x.versionOf(v.ID)
			if ok {
				held++
			}
			if !ok || version != int64(v.Version) {
				out = append(out, v.ID)
			}
			if err := p.Step(ctx); err != nil {
				return nil, err
			}
		}
		if tooMany(len(out), x) {
			st.Rebuilt = true
			return nil, nil
		}
		if len(vs) < reconcileStep {
			break
		}
		after = vs[len(vs)-1].ID
		if err := pace.Sleep(ctx, pause); err != nil {
			return nil, err
		}
	}
	st.Checked = len(all)
	if held != x.count() {
		missing, err := x.missingFrom(ctx, all, p)
		if err != nil {
			return nil, err
		}
		out = append(out, missing...)
	}
	if tooMany(len(out), x) {
		st.Rebuilt = true
		return nil, nil
	}
	return out, nil
}

// tooMany reports whether n subscribers to read again cost more than a
// rebuild of x.
func tooMany(n int, x *subscriberIndex) bool {
	return n > max(minRebuild, x.count()/rebuildShare)
}

func (c *Catalog) refreshAll(ctx context.Context, ids []int64) error {
	p := c.pacer()
	for _, id := range ids {
		if err := c.RefreshSubscriber(ctx, id); err != nil {
			return fmt.Errorf("refresh subscriber %d: %w", id, err)
		}
		if err := p.Check(ctx); err != nil { // a query each: look at the clock every time
			return err
		}
	}
	return nil
}

// ReconcileStats describes the last reconcile; zero before the first.
func (c *Catalog) ReconcileStats() ReconcileStats {
	if s := c.reconcile.Load(); s != nil {
		return *s
	}
	return ReconcileStats{}
}

// needsCompaction reports whether the records replaced since the last full
// load hold as much memory as the live ones: refreshes append, and only a
// new index lets the old records go.
func (c *Catalog) needsCompaction() bool {
	x := c.subs.Load()
	dead := int(x.dead.Load())
	return dead >= minCompaction && dead >= x.count()
}

// missingFrom lists the ids the index holds that are not in ids (sorted).
// A subscriber added since ids were read is listed too; reading it again
// costs one query and is never wrong, since a refresh reads the row as it
// is now. It is paced by p shard by shard, outside the shard's lock.
func (x *subscriberIndex) missingFrom(ctx context.Context, ids []int64, p *pace.Pacer) ([]int64, error) {
	var out []int64
	for i := range x.shards {
		sh := &x.shards[i]
		sh.mu.RLock()
		for id := range sh.byID {
			if _, found := slices.BinarySearch(ids, id); !found {
				out = append(out, id)
			}
		}
		sh.mu.RUnlock()
		if err := p.Check(ctx); err != nil { // a shard is a few thousand lookups
			return nil, err
		}
	}
	return out, nil
}

// versionOf is the version of the subscriber with id, if the index holds it.
func (x *subscriberIndex) versionOf(id int64) (int64, bool) {
	sh := x.idShard(id)
	sh.mu.RLock()
	i, ok := sh.byID[id]
	sh.mu.RUnlock()
	if !ok {
		return 0, false
	}
	return x.recs.at(i).version, true
}
