package epgimport

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"
)

// Store is what the importer needs from the database.
type Store interface {
	FindEPGSourceByID(ctx context.Context, id int64) (api.EPGSource, error)
	FindEPGSources(ctx context.Context, f api.EPGSourceFilter, p api.ListParams) (api.Page[api.EPGSource], error)
	ReplaceGuide(ctx context.Context, sourceID int64, guide func(yield func(store.GuideItem) error) error) (store.GuideCounts, error)
	RecordEPGRun(ctx context.Context, id int64, r store.EPGRun) error
	PruneEPGProgrammes(ctx context.Context, now time.Time) (int64, error)
}

// Config are the importer's collaborators and settings.
type Config struct {
	Store   Store
	Logger  *slog.Logger
	Publish func(api.Event)  // receives progress and outcome events; nil drops them
	Now     func() time.Time // nil means time.Now; tests move the clock
	// Tick is how often the schedule is checked; zero means a minute.
	Tick time.Duration
	// PruneEvery is how often ended programmes are pruned; zero means an hour.
	PruneEvery time.Duration
}

// retryAfterError is how soon a failed source is tried again, when its
// interval is longer: a source that was down for a moment should not leave
// the guide stale for a day.
const retryAfterError = time.Hour

// progressEvery bounds the rate of progress events of one import.
const progressEvery = 500 * time.Millisecond

// Importer runs imports. Create it with New; start its schedule with Run.
type Importer struct {
	cfg Config

	mu   sync.Mutex
	runs map[int64]*run
	wg   sync.WaitGroup
	// ctx is the context of on-demand imports; Run cancels it when it stops,
	// so Start works from New on and no import outlives Run.
	ctx    context.Context
	cancel context.CancelFunc
}

// New returns an importer; nothing runs until Run.
func New(cfg Config) *Importer {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Tick <= 0 {
		cfg.Tick = time.Minute
	}
	if cfg.PruneEvery <= 0 {
		cfg.PruneEvery = time.Hour
	}
	if cfg.Publish == nil {
		cfg.Publish = func(api.Event) {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Importer{cfg: cfg, runs: map[int64]*run{}, ctx: ctx, cancel: cancel}
}

// Run imports every enabled source when it is due, prunes ended programmes,
// and accepts on-demand imports (Start) until ctx is done; then it waits for
// the imports in progress, which stop with ctx, and returns.
func (im *Importer) Run(ctx context.Context) {
	stop := context.AfterFunc(ctx, im.cancel)
	defer stop()
	defer im.wg.Wait()
	defer im.stopStarting()
	tick := time.NewTicker(im.cfg.Tick)
	defer tick.Stop()
	var lastPrune time.Time
	for {
		im.RunDue(ctx)
		if now := im.cfg.Now(); now.Sub(lastPrune) >= im.cfg.PruneEvery {
			lastPrune = now
			im.prune(ctx, now)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// RunDue starts an import of every enabled source that is due and not
// already importing, and returns their ids. Imports run in the background
// under ctx; Wait waits for them.
func (im *Importer) RunDue(ctx context.Context) []int64 {
	sources, err := im.enabledSources(ctx)
	if err != nil {
		im.cfg.Logger.WarnContext(ctx, "list epg sources", "error", err)
		return nil
	}
	var started []int64
	now := im.cfg.Now()
	for _, src := range sources {
		if due(src, now) && im.start(ctx, src.ID) {
			started = append(started, src.ID)
		}
	}
	return started
}

// due reports whether src should be imported at now.
func due(src api.EPGSource, now time.Time) bool {
	if src.LastRunAt == nil {
		return true
	}
	wait := time.Duration(src.IntervalHours) * time.Hour
	if src.LastResult == api.EPGResultError {
		wait = min(wait, retryAfterError)
	}
	return !now.Before(src.LastRunAt.Add(wait))
}

func (im *Importer) enabledSources(ctx context.Context) ([]api.EPGSource, error) {
	enabled := true
	var out []api.EPGSource
	p := api.ListParams{Limit: api.MaxLimit}
	for range 1000 { // bounded: a million sources is not a real installation
		page, err := im.cfg.Store.FindEPGSources(ctx, api.EPGSourceFilter{Enabled: &enabled}, p)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if p.Cursor = page.Next; p.Cursor == "" {
			break
		}
	}
	return out, nil
}

func (im *Importer) prune(ctx context.Context, now time.Time) {
	n, err := im.cfg.Store.PruneEPGProgrammes(ctx, now)
	if err != nil {
		im.cfg.Logger.WarnContext(ctx, "prune epg programmes", "error", err)
	} else if n > 0 {
		im.cfg.Logger.InfoContext(ctx, "pruned epg programmes", "count", n)
	}
}

// Start starts an import of source id now, unless one is running, and
// returns the source with its import's state. It returns CodeNotFound for an
// unknown source and CodeUnavailable once Run has stopped.
func (im *Importer) Start(ctx context.Context, id int64) (api.EPGSourceStatus, error) {
	src, err := im.cfg.Store.FindEPGSourceByID(ctx, id)
	if err != nil {
		return api.EPGSourceStatus{}, err
	}
	if im.ctx.Err() != nil {
		return api.EPGSourceStatus{}, api.Errorf(api.CodeUnavailable, "the EPG importer has stopped")
	}
	im.start(im.ctx, id)
	return im.status(src), nil
}

// Status returns source id with the state of its import on this instance.
// It returns CodeNotFound for an unknown source.
func (im *Importer) Status(ctx context.Context, id int64) (api.EPGSourceStatus, error) {
	src, err := im.cfg.Store.FindEPGSourceByID(ctx, id)
	if err != nil {
		return api.EPGSourceStatus{}, err
	}
	return im.status(src), nil
}

func (im *Importer) status(src api.EPGSource) api.EPGSourceStatus {
	st := api.EPGSourceStatus{EPGSource: src}
	if p, ok := im.Progress(src.ID); ok {
		st.Running, st.Progress = true, &p
	}
	return st
}

// Progress returns how far the import of source id has got, and false when
// none is running on this instance.
func (im *Importer) Progress(id int64) (api.EPGProgress, bool) {
	im.mu.Lock()
	r := im.runs[id]
	im.mu.Unlock()
	if r == nil {
		return api.EPGProgress{}, false
	}
	return r.progress(), true
}

// Import imports source id now and waits for the outcome; the command line
// uses it. It returns CodeConflict when an import of the source is running,
// and the import's error when it failed (the outcome is recorded either way).
func (im *Importer) Import(ctx context.Context, id int64) (api.EPGDone, error) {
	r, ok := im.claim(id)
	if !ok {
		return api.EPGDone{}, api.Errorf(api.CodeConflict, "epg source %d is being imported", id)
	}
	defer im.release(id)
	return im.importSource(ctx, id, r)
}

// Wait blocks until the imports in progress have finished.
func (im *Importer) Wait() { im.wg.Wait() }

// stopStarting cancels on-demand imports and, holding the lock start takes,
// makes sure no import starts after Run begins waiting for them.
func (im *Importer) stopStarting() {
	im.mu.Lock()
	im.cancel()
	im.mu.Unlock()
}

// start runs an import of id in the background under ctx unless one is
// running or the importer has stopped.
func (im *Importer) start(ctx context.Context, id int64) bool {
	im.mu.Lock()
	if im.ctx.Err() != nil || ctx.Err() != nil || im.runs[id] != nil {
		im.mu.Unlock()
		return false
	}
	r := &run{sourceID: id, started: im.cfg.Now()}
	im.runs[id] = r
	im.wg.Add(1)
	im.mu.Unlock()
	go func() {
		defer im.wg.Done()
		defer im.release(id)
		_, _ = im.importSource(ctx, id, r)
	}()
	return true
}

func (im *Importer) claim(id int64) (*run, bool) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.runs[id] != nil {
		return nil, false
	}
	r := &run{sourceID: id, started: im.cfg.Now()}
	im.runs[id] = r
	return r, true
}

func (im *Importer) release(id int64) {
	im.mu.Lock()
	delete(im.runs, id)
	im.mu.Unlock()
}

// publish sends an event; payloads are plain structs that always marshal.
func (im *Importer) publish(typ string, payload any) {
	b, _ := json.Marshal(payload)
	im.cfg.Publish(api.Event{Type: typ, At: im.cfg.Now(), Data: b})
}
