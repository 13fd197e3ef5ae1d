package simulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Dialect chooses which generation of Flussonic the simulator pretends to be.
type Dialect int

const (
	// DialectV3 answers the v3 API with current field names.
	DialectV3 Dialect = iota
	// DialectV3Old answers v3 with older names: client_count, a boolean
	// running instead of status, and numbers sent as strings.
	DialectV3Old
	// DialectLegacy answers 404 on v3; only /flussonic/api/* works.
	DialectLegacy
)

// Options configure a Simulator. Zero values are usable.
type Options struct {
	// Addr is where Start listens; default 127.0.0.1:0.
	Addr     string
	Hostname string // default "sim.local"
	Version  string // default "24.12"
	// Login and Password are edit_auth; when both are empty the API is open.
	Login, Password string
	Dialect         Dialect
	// AuthURL is the global on_play backend for streams that have none.
	// Empty means allow every player (as Flussonic does with no auth).
	AuthURL string
	// ConfigExternal is the config_external base URL; streams are pulled
	// from <ConfigExternal>/streams?host=<Hostname> on Start and Refresh.
	ConfigExternal string
	// TokenParam is the query key of the player token (auth_token); default "token".
	TokenParam string
	// NoAutoToken answers 403 to players without a token instead of making one up.
	NoAutoToken bool
	// AuthDuration is used when the backend sends no X-AuthDuration; default 30 s.
	AuthDuration time.Duration
	// SessionIdle ends an HLS/DASH session after this long without requests; default 30 s.
	SessionIdle time.Duration
	// RecheckInterval, when set, re-asks the backend (update_session) for
	// open sessions whose X-AuthDuration ran out, even between player requests.
	RecheckInterval time.Duration
	// MPEGTSHold keeps an HTTP MPEG-TS answer open this long (or until the
	// session is killed) after the first packets; 0 closes at once.
	MPEGTSHold time.Duration
	// MaxPageLimit caps limit= on list endpoints; default 1000.
	MaxPageLimit int
	// VODLocations are the prefixes of the VOD locations the simulator
	// serves: every file under /PREFIX/ plays the embedded test movie.
	VODLocations []string
	// DefaultKbps is the bitrate given to streams adopted from config_external.
	DefaultKbps int64
	// HTTPClient makes the auth and config_external calls; default 5 s timeout.
	HTTPClient *http.Client
	Logger     *slog.Logger
	// Now is the clock; default time.Now.
	Now     func() time.Time
	Streams []Stream
}

// Simulator is a simulated streamer. Create it with New.
type Simulator struct {
	opts    Options
	log     *slog.Logger
	handler http.Handler
	started time.Time

	mu      sync.Mutex
	streams map[string]Stream
	version uint64
	pages   map[string][]byte
	// pagesGen is the session generation the cached pages were rendered at.
	pagesGen uint64
	cpu      float64
	memory   float64
	status   string // streamer_status

	faultMu sync.Mutex
	lag     time.Duration
	failure int
	dead    bool
	addr    string
	srv     *http.Server

	auth *authState

	stop chan struct{}
	wg   sync.WaitGroup
}

// New returns a simulator holding opts.Streams; it does not listen yet.
func New(opts Options) *Simulator {
	opts = withDefaults(opts)
	s := &Simulator{
		opts:    opts,
		log:     opts.Logger,
		started: opts.Now(),
		streams: map[string]Stream{},
		pages:   map[string][]byte{},
		cpu:     12,
		memory:  30,
		status:  "running",
		stop:    make(chan struct{}),
	}
	for _, st := range opts.Streams {
		s.streams[st.Name] = st
	}
	s.auth = newAuthState(opts.Now, opts.SessionIdle)
	s.handler = s.routes()
	return s
}

func withDefaults(o Options) Options {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.Hostname == "" {
		o.Hostname = "sim.local"
	}
	if o.Version == "" {
		o.Version = "24.12"
	}
	if o.TokenParam == "" {
		o.TokenParam = "token"
	}
	if o.AuthDuration <= 0 {
		o.AuthDuration = 30 * time.Second
	}
	if o.SessionIdle <= 0 {
		o.SessionIdle = 30 * time.Second
	}
	if o.MaxPageLimit <= 0 {
		o.MaxPageLimit = 1000
	}
	if o.DefaultKbps == 0 {
		o.DefaultKbps = 4000
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Start listens on Options.Addr, pulls config_external if set, and starts
// the session re-check loop if asked. A failed config pull does not stop
// the start: like Flussonic, the simulator then reports
// streamer_status config_external_error; Start returns that error too.
func (s *Simulator) Start() error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.opts.Addr, err)
	}
	s.faultMu.Lock()
	s.addr = ln.Addr().String()
	s.serveLocked(ln)
	s.faultMu.Unlock()
	if s.opts.RecheckInterval > 0 {
		s.wg.Add(1)
		go s.recheckLoop()
	}
	if s.configExternal() != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Refresh(ctx); err != nil {
			return fmt.Errorf("pull config_external on start: %w", err)
		}
	}
	return nil
}

func (s *Simulator) serveLocked(ln net.Listener) {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	s.srv = srv
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("simulator serve", "error", err)
		}
	}()
}

// URL returns the streamer's root URL, e.g. http://127.0.0.1:40123.
func (s *Simulator) URL() string {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return "http://" + s.addr
}

// Hostname returns the name the simulator reports and sends as host=.
func (s *Simulator) Hostname() string { return s.opts.Hostname }

// Close stops listening, ends all sessions and waits for its goroutines.
func (s *Simulator) Close() error {
	select {
	case <-s.stop:
		return nil
	default:
		close(s.stop)
	}
	s.faultMu.Lock()
	srv := s.srv
	s.srv = nil
	s.faultMu.Unlock()
	var err error
	if srv != nil {
		err = srv.Close()
	}
	s.auth.closeAll()
	s.wg.Wait()
	return err
}

// ServeHTTP makes the simulator usable as a plain handler (httptest.Server);
// Die then closes connections instead of refusing them.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lag, failure, dead := s.faults()
	if dead {
		hangUp(w)
		return
	}
	if lag > 0 {
		t := time.NewTimer(lag)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.stop:
			t.Stop()
			return
		}
	}
	if failure != 0 {
		writeError(w, failure, "injected", "injected failure")
		return
	}
	s.handler.ServeHTTP(w, r)
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}
