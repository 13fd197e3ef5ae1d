package playauth

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"canale/server/internal/catalog"
	"canale/server/internal/store"
	"canale/shared/api"

	"github.com/prometheus/client_golang/prometheus"
)

// SessionStore is what the limiter and the session writer need from the
// database; *store.Store is one.
type SessionStore interface {
	AdmitPlaySession(ctx context.Context, a store.PlaySessionAdmission) (store.AdmissionResult, error)
	UpsertPlaySessions(ctx context.Context, ws []store.PlaySessionWrite) error
	CloseExpiredPlaySessions(ctx context.Context) (int64, error)
	FindPlaySessions(ctx context.Context, f api.PlaySessionFilter, p api.ListParams) (api.Page[api.PlaySession], error)
	KillPlaySession(ctx context.Context, actor api.Actor, id int64) (api.PlaySession, error)
	EndPlaySession(ctx context.Context, sessionID string, at time.Time) error
}

// SessionTTLFactor is how many auth durations a session outlives its last
// check: Flussonic re-asks once per X-AuthDuration, so missing two checks
// in a row means the viewer is gone.
const SessionTTLFactor = 3

// Deps are the service's collaborators.
type Deps struct {
	Catalog  *catalog.Catalog
	Store    SessionStore
	Logger   *slog.Logger
	Registry *prometheus.Registry // may be nil (no metrics)
	// Now is the clock; default time.Now.
	Now func() time.Time
	// HTTPClient calls streamers to drop sessions; default 10 s timeout.
	HTTPClient *http.Client
	// AdmitTimeout bounds the admission transaction; past it the
	// instance-local fallback decides. Default 2 s.
	AdmitTimeout time.Duration
	// FlushInterval is how often the session and refusal writers write
	// what is queued (default 100 ms); MaxPending bounds the session
	// states waiting (default 100,000).
	FlushInterval time.Duration
	MaxPending    int
	// Refusals records refused plays; nil records none. RefusalQueue bounds
	// the refusals waiting for it (default 10,000); beyond, they are dropped
	// and counted.
	Refusals     RefusalStore
	RefusalQueue int
}

// Service decides play and publish requests and tracks sessions.
type Service struct {
	Deps
	sessions *tracker
	writer   *writer
	refusals *refusalLog // nil: refusals are not recorded
	metrics  *metrics
}

// New returns a service; call Run to start its writer and sweeper.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.HTTPClient == nil {
		d.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if d.AdmitTimeout <= 0 {
		d.AdmitTimeout = 2 * time.Second
	}
	if d.FlushInterval <= 0 {
		// Often, so each write is small. Refused checks come as fast as
		// checks do (a fifth of them in the load harness: 4,000 a second at
		// half of peak), and PostgreSQL spends about 6 ms of a CPU on each
		// 1,000 refusals it inserts. Written once a second, that was a
		// 25 ms burst in which the server and its streamers' checks shared
		// the other core of a two-core machine, and the backlog took as
		// long again to drain: hundreds of checks a second past 2 ms. Ten
		// writes a second cost PostgreSQL the same in all, in bursts too
		// short to queue anyone. Session states are coalesced per session
		// over a whole auth duration before they reach the writer, so
		// writing them sooner adds no rows.
		d.FlushInterval = 100 * time.Millisecond
	}
	if d.MaxPending <= 0 {
		d.MaxPending = 100_000
	}
	if d.RefusalQueue <= 0 {
		d.RefusalQueue = 10_000
	}
	s := &Service{Deps: d, sessions: newTracker(), writer: newWriter(d.Store, d.Logger, d.MaxPending)}
	if d.Refusals != nil {
		s.refusals = newRefusalLog(d.Refusals, d.Logger, d.RefusalQueue)
	}
	s.metrics = newMetrics(d.Registry, s.sessions, s.writer, d.Now)
	s.metrics.registerRefusals(d.Registry, s.RefusalsDropped)
	return s
}

// Run flushes session writes every FlushInterval, closes expired sessions
// and forgets them from memory, until ctx is done; a last flush follows.
func (s *Service) Run(ctx context.Context) {
	done := make(chan struct{})
	go func() { defer close(done); s.writer.run(ctx, s.FlushInterval) }()
	if s.refusals != nil {
		refused := make(chan struct{})
		go func() { defer close(refused); s.refusals.run(ctx, s.FlushInterval, s.Now) }()
		defer func() { <-refused }()
	}
	sweep := time.NewTicker(30 * time.Second)
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			<-done
			return
		case <-sweep.C:
			s.sweep(ctx)
		}
	}
}

// sweep forgets expired sessions, writes the states of theirs the database
// has not seen, and only then closes expired rows, so a closed row carries
// the session's real end.
func (s *Service) sweep(ctx context.Context) {
	for _, w := range s.sessions.prune(s.Now()) {
		s.writer.queue(w)
	}
	if err := s.writer.flush(ctx); err != nil {
		if ctx.Err() == nil {
			s.Logger.Debug("flush play sessions before closing expired ones", "error", err)
		}
		return
	}
	if _, err := s.Store.CloseExpiredPlaySessions(ctx); err != nil && ctx.Err() == nil {
		s.Logger.Debug("close expired play sessions", "error", err)
	}
}

// Flush writes the queued session states now; tests and shutdown use it.
func (s *Service) Flush(ctx context.Context) error { return s.writer.flush(ctx) }

// Pending is the number of session writes waiting for the database.
func (s *Service) Pending() int { return s.writer.pending() }

// Notify applies a change event: a killed or cut session (Entity
// play_session, Op delete) is refused at its next check on this instance.
func (s *Service) Notify(c api.Change) {
	if c.Entity == api.EntityPlaySession && c.Op == api.OpDelete && c.ID != "" {
		s.sessions.kill(c.ID, s.Now())
	}
}

// AuthPath is the path of the Flussonic auth endpoint for a secret; the
// settings screen shows the full auth_url built from it.
func AuthPath(secret string) string { return "/flussonic/" + secret + "/auth" }

// NginxAuthPath is the path nginx's auth_request proxies to.
func NginxAuthPath(secret string) string { return "/nginx/" + secret + "/auth" }

// AuthURL is the auth_url to configure on streamers (on_play/auth): the
// external URL of the installation joined with AuthPath; empty until the
// external URL and the streamer secret are set.
func (s *Service) AuthURL() string {
	st := s.Catalog.Settings()
	if st.ExternalURL == "" || st.StreamerSecret == "" {
		return ""
	}
	return trimSlash(st.ExternalURL) + AuthPath(st.StreamerSecret)
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}
