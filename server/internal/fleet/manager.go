package fleet

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"canale/server/internal/flussonic"
	"canale/server/internal/store"
	"canale/shared/api"
)

// Catalog is what the Manager reads and writes in storage; *store.Store is one.
type Catalog interface {
	// LoadFleetCatalog returns CodeUnavailable when the database is away.
	LoadFleetCatalog(ctx context.Context) (store.FleetCatalog, error)
	SavePlacements(ctx context.Context, ws []store.PlacementWrite) (lost int, err error)
}

// ManagerConfig configures a Manager. Zero values get defaults.
type ManagerConfig struct {
	Catalog Catalog
	Logger  *slog.Logger
	// Publish receives every fleet transition as an api.Event with a
	// FleetEvent payload; it is called from polling goroutines and must not
	// block. Nil drops them.
	Publish func(api.Event)
	// ExternalURL is used when settings.external_url is empty.
	ExternalURL string
	// ReloadEvery is the period of catalog reloads besides change events; default 30 s.
	ReloadEvery time.Duration
	// Poller tunes health polling; its Publisher is the Manager's.
	Poller Config
}

// Manager runs the fleet: it keeps the poller's targets in step with the
// enabled streamers, places every channel on streamers along its pipeline,
// moves channels off streamers that fail, and answers what each streamer
// must run (config_external) and where viewers may go (Edges). Everything it
// answers comes from memory, swapped atomically after each change.
type Manager struct {
	cfg    ManagerConfig
	log    *slog.Logger
	poller *Poller

	view   atomic.Pointer[view]
	wake   chan struct{} // reload the catalog
	health chan struct{} // re-place after a streamer went up or down

	mu        sync.Mutex // serialises reloads and placements
	prev      map[stepKey]int64
	persisted map[stepKey]int64
	clients   map[int64]clientSpec
	transport *http.Transport // shared by the streamers' clients
}

// clientSpec is what a flussonic client was built from, to reuse it while
// the streamer's connection settings do not change.
type clientSpec struct {
	url, login, password, key string
	timeout                   time.Duration
	client                    *flussonic.Client
}

// NewManager returns a Manager that has loaded nothing yet: call Reload, or Run.
func NewManager(cfg ManagerConfig) *Manager {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Publish == nil {
		cfg.Publish = func(api.Event) {}
	}
	if cfg.ReloadEvery <= 0 {
		cfg.ReloadEvery = 30 * time.Second
	}
	m := &Manager{cfg: cfg, log: cfg.Logger, wake: make(chan struct{}, 1), health: make(chan struct{}, 1),
		clients: map[int64]clientSpec{}, transport: pollTransport()}
	pc := cfg.Poller
	pc.Logger = cfg.Logger
	pc.Publisher = PublisherFunc(m.onPollerEvent)
	m.poller = New(pc)
	m.view.Store(&view{})
	return m
}

// Poller returns the health poller the Manager drives.
func (m *Manager) Poller() *Poller { return m.poller }

// OnChange is the hook for committed catalog changes (NOTIFY payloads): a
// change to streamers, pipelines, channels, settings or placements (another
// instance's) reloads the catalog soon. It never blocks.
func (m *Manager) OnChange(c api.Change) {
	switch c.Entity {
	case api.EntityStreamer, api.EntityPipeline, api.EntityChannel, api.EntitySettings, api.EntityPlacement, api.EntityAll:
		m.reloadSoon()
	}
}

// reloadSoon asks Run for a reload without waiting for it.
func (m *Manager) reloadSoon() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Run loads the catalog, polls the streamers and keeps placements current
// until ctx ends.
func (m *Manager) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Go(func() { _ = m.poller.Run(ctx) })
	defer wg.Wait()
	if err := m.Reload(ctx); err != nil {
		m.log.Warn("fleet: load catalog", "error", err)
	}
	t := time.NewTicker(m.cfg.ReloadEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-m.wake:
		case <-m.health:
			m.Replace(ctx)
			continue
		}
		if err := m.Reload(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("fleet: reload catalog", "error", err)
		}
	}
}

// Reload reads the catalog, retargets the poller and re-places channels.
// On failure the previous catalog stays in use, but config_external answers
// 503 until a reload succeeds: a streamer must never get a list built from
// data Canale could not confirm.
func (m *Manager) Reload(ctx context.Context) error {
	cat, err := m.cfg.Catalog.LoadFleetCatalog(ctx)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		v := *m.view.Load()
		v.loadErr = err
		m.view.Store(&v)
		return err
	}
	// The database's placements are the cluster's: every instance starts
	// each reload from them, so a move another instance made (and
	// announced) is adopted here rather than overruled by this one's
	// older choice, and all of them give streamers the same streams.
	m.prev, m.persisted = map[stepKey]int64{}, map[stepKey]int64{}
	for _, p := range cat.Placements {
		k := stepKey{p.ChannelID, p.Position}
		m.prev[k], m.persisted[k] = p.StreamerID, p.StreamerID
	}
	m.setTargets(cat.Streamers)
	m.rebuild(ctx, &cat, time.Now(), nil)
	return nil
}

// Replace re-places channels on the current catalog, after health changed.
func (m *Manager) Replace(ctx context.Context) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := m.view.Load()
	if v.cat == nil {
		return
	}
	m.rebuild(ctx, v.cat, v.loadedAt, v.loadErr)
}

// PollNow polls every streamer once and re-places channels at once; for
// tests and an operator's refresh button.
func (m *Manager) PollNow(ctx context.Context) {
	m.poller.PollNow(ctx)
	m.Replace(ctx)
}

func (m *Manager) setTargets(streamers []store.FleetStreamer) {
	targets := make([]Target, 0, len(streamers))
	seen := map[int64]bool{}
	for _, s := range streamers {
		seen[s.ID] = true
		c, err := m.client(s)
		if err != nil {
			m.log.Warn("fleet: streamer has a bad api_url", "streamer_id", s.ID, "error", err)
			continue
		}
		targets = append(targets, Target{StreamerID: idString(s.ID), Source: c,
			Interval: time.Duration(s.PollIntervalS) * time.Second, Timeout: time.Duration(s.TimeoutS) * time.Second})
	}
	for id := range m.clients {
		if !seen[id] {
			delete(m.clients, id)
		}
	}
	m.poller.SetTargets(targets)
}

func (m *Manager) client(s store.FleetStreamer) (*flussonic.Client, error) {
	spec := clientSpec{url: s.APIURL, login: s.APILogin, password: s.APIPassword, key: s.APIKey,
		timeout: time.Duration(s.TimeoutS) * time.Second}
	if old, ok := m.clients[s.ID]; ok && old.url == spec.url && old.login == spec.login &&
		old.password == spec.password && old.key == spec.key && old.timeout == spec.timeout {
		return old.client, nil
	}
	c, err := flussonic.New(flussonic.Config{BaseURL: s.APIURL, Login: s.APILogin, Password: s.APIPassword,
		Key: s.APIKey, HTTPClient: &http.Client{Timeout: spec.timeout, Transport: m.transport}})
	if err != nil {
		return nil, err
	}
	spec.client = c
	m.clients[s.ID] = spec
	return c, nil
}

// rebuild places channels, persists and announces moves, and publishes the
// new view. The caller holds m.mu.
func (m *Manager) rebuild(ctx context.Context, cat *store.FleetCatalog, loadedAt time.Time, loadErr error) {
	snap := m.poller.Snapshot()
	pl := place(placementInput{cat: cat, prev: m.prev, health: healthIn(snap), kbps: kbpsIn(snap)})
	m.prev = pl.one
	m.persist(ctx)
	v := newView(cat, pl, m.authURL(cat))
	v.loadedAt, v.loadErr = loadedAt, loadErr
	m.view.Store(v)
	for _, mv := range pl.moves {
		m.announce(mv)
	}
}

// persist writes the placements that changed since the last successful
// write, each as a compare-and-set against what this instance last read; a
// failed write is retried with the next rebuild. A write that no longer
// matched (lost: another instance got in first, or the channel or streamer
// is gone) makes this one reload and adopt what the database holds.
func (m *Manager) persist(ctx context.Context) {
	var ws []store.PlacementWrite
	for k, id := range m.prev {
		if from := m.persisted[k]; from != id {
			ws = append(ws, store.PlacementWrite{ChannelID: k.channel, Position: k.position, From: from, StreamerID: id})
		}
	}
	for k, from := range m.persisted {
		if _, ok := m.prev[k]; !ok {
			ws = append(ws, store.PlacementWrite{ChannelID: k.channel, Position: k.position, From: from})
		}
	}
	if len(ws) == 0 {
		return
	}
	lost, err := m.cfg.Catalog.SavePlacements(ctx, ws)
	if err != nil {
		m.log.Warn("fleet: save placements", "error", err)
		return
	}
	m.persisted = make(map[stepKey]int64, len(m.prev))
	for k, id := range m.prev {
		m.persisted[k] = id
	}
	if lost > 0 {
		m.log.Info("fleet: placements changed under this instance (another instance moved them, or a channel or streamer went); reloading",
			"steps", lost)
		m.reloadSoon()
	}
}

func (m *Manager) authURL(cat *store.FleetCatalog) string {
	base := cat.Settings.ExternalURL
	if base == "" {
		base = m.cfg.ExternalURL
	}
	if base == "" || cat.Settings.StreamerSecret == "" {
		return ""
	}
	return strings.TrimRight(base, "/") + "/flussonic/" + cat.Settings.StreamerSecret + "/auth"
}

func healthIn(snap Fleet) func(int64) Health {
	return func(id int64) Health {
		if s, ok := snap.Streamers[idString(id)]; ok {
			return s.Health
		}
		return HealthUnknown
	}
}

// kbpsIn returns a channel's input bitrate as the fleet reports it (the
// highest seen), or DefaultChannelKbps.
func kbpsIn(snap Fleet) func(string) int64 {
	return func(name string) int64 {
		var best int64
		for _, s := range snap.Streamers {
			if st, ok := s.Streams[name]; ok && st.InputBitrateKbps > best {
				best = st.InputBitrateKbps
			}
		}
		if best == 0 {
			return DefaultChannelKbps
		}
		return best
	}
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func parseID(s string) int64 {
	id, _ := strconv.ParseInt(s, 10, 64)
	return id
}

// pollTransport keeps a connection open to every streamer between polls.
// http.DefaultTransport keeps at most 100 idle connections in all, so with
// more streamers than that each poll cycle dialled most of them afresh.
func pollTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 0 // no limit but the per-host one
	t.MaxIdleConnsPerHost = 2
	t.IdleConnTimeout = 3 * time.Minute // longer than the default 60 s poll interval
	return t
}
