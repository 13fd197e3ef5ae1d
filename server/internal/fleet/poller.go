package fleet

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"canale/server/internal/flussonic"
)

// Source is what the poller asks a streamer; *flussonic.Client is one.
type Source interface {
	ServerStats(ctx context.Context) (flussonic.ServerStats, error)
	// AppendStreams appends the streamer's streams to dst: the poller
	// lists into the memory of the listing before last.
	AppendStreams(ctx context.Context, dst []flussonic.Stream) ([]flussonic.Stream, error)
}

// Target is one streamer to poll.
type Target struct {
	StreamerID string
	Source     Source
	// Interval between polls; default 60 s (Catena's "once a minute").
	Interval time.Duration
	// Timeout bounds one poll (stats and streams together); default 10 s.
	Timeout time.Duration
}

// Config configures a Poller. Zero values get defaults.
type Config struct {
	Publisher Publisher
	Logger    *slog.Logger
	// DownAfter is how many failed polls in a row declare a streamer down; default 2.
	DownAfter int
	// MaxBackoff caps the delay between polls of a failing streamer; default 5 min.
	MaxBackoff time.Duration
	// HistoryWindow and HistoryStep shape the chart history: one point per
	// step over the window; defaults 1 h and 1 min.
	HistoryWindow time.Duration
	HistoryStep   time.Duration
	// InputErrorThreshold: input_error_rate above it counts as input errors; default 0.
	InputErrorThreshold float64
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Poller polls a changing set of streamers. Create it with New.
type Poller struct {
	cfg Config
	log *slog.Logger

	stateMu sync.Mutex // serialises writers of state
	state   atomic.Pointer[Fleet]

	mu      sync.Mutex // guards workers and runCtx
	workers map[string]*worker
	runCtx  context.Context
}

// New returns a Poller with no targets.
func New(cfg Config) *Poller {
	if cfg.Publisher == nil {
		cfg.Publisher = PublisherFunc(func(Event) {})
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.DownAfter <= 0 {
		cfg.DownAfter = 2
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Minute
	}
	if cfg.HistoryWindow <= 0 {
		cfg.HistoryWindow = time.Hour
	}
	if cfg.HistoryStep <= 0 {
		cfg.HistoryStep = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p := &Poller{cfg: cfg, log: cfg.Logger, workers: map[string]*worker{}}
	p.state.Store(&Fleet{Streamers: map[string]*StreamerState{}})
	return p
}

// SetTargets replaces the set of streamers: new ones start polling at once
// (if Run is going), changed ones keep their state and take the new
// interval, timeout and source from their next poll, and missing ones stop
// and leave the snapshot.
func (p *Poller) SetTargets(targets []Target) {
	p.mu.Lock()
	defer p.mu.Unlock()
	keep := map[string]bool{}
	for _, t := range targets {
		t = withTargetDefaults(t)
		keep[t.StreamerID] = true
		if w, ok := p.workers[t.StreamerID]; ok {
			w.retarget(t)
			continue
		}
		w := newWorker(p, t)
		p.workers[t.StreamerID] = w
		p.store(t.StreamerID, &StreamerState{ID: t.StreamerID, Health: HealthUnknown})
		if p.runCtx != nil {
			w.start(p.runCtx)
		}
	}
	for id, w := range p.workers {
		if !keep[id] {
			w.stop()
			delete(p.workers, id)
			p.store(id, nil)
		}
	}
}

func withTargetDefaults(t Target) Target {
	if t.Interval <= 0 {
		t.Interval = time.Minute
	}
	if t.Timeout <= 0 {
		t.Timeout = 10 * time.Second
	}
	return t
}

// Run polls every target until ctx ends, then stops all polling.
func (p *Poller) Run(ctx context.Context) error {
	p.mu.Lock()
	p.runCtx = ctx
	for _, w := range p.workers {
		w.start(ctx)
	}
	p.mu.Unlock()
	<-ctx.Done()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.runCtx = nil
	for _, w := range p.workers {
		w.stop()
	}
	return nil
}

// PollNow polls every target once, concurrently, and returns when all are
// done. It is for tests, benchmarks and an operator's "refresh" button.
func (p *Poller) PollNow(ctx context.Context) {
	p.mu.Lock()
	ws := make([]*worker, 0, len(p.workers))
	for _, w := range p.workers {
		ws = append(ws, w)
	}
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() { w.poll(ctx) })
	}
	wg.Wait()
}

func (p *Poller) historyOf(id string) *history {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w, ok := p.workers[id]; ok {
		return w.hist
	}
	return nil
}
