package cli

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"canale/server/internal/app"
	"canale/server/internal/config"
	"canale/server/internal/credential"
	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/hdhomerun"
	"canale/server/internal/store"
	"canale/shared/api"
)

// demoStreamers are the simulated streamers of `canale demo`.
var demoStreamers = []string{"ingest1", "edge1", "edge2"}

// runDemo runs the server with demo data and three simulated streamers in
// this process, which pull their streams from Canale's config_external, so
// a newcomer sees a living fleet at once.
func runDemo(ctx context.Context, version string, args []string, io IO) error {
	p, err := prepare(ctx, "demo", args, demoEnv(io.Getenv), io, func(cfg *config.Config, addr net.Addr) {
		if cfg.ExternalURL == "" {
			cfg.ExternalURL = "http://" + displayAddr(addr)
		}
	})
	if err != nil {
		return err
	}
	defer p.close()
	cfg, inst, db, logger := p.cfg, p.inst, p.db, p.logger
	// The simulated streamers listen before Canale knows them, so its first
	// poll finds them answering: no "stopped answering" at start.
	sims, err := listenDemoStreamers(logger)
	defer func() {
		for _, sim := range sims {
			sim.Close()
		}
	}()
	if err != nil {
		return err
	}
	creds, err := seedDemo(ctx, db.Store, cfg.ExternalURL, sims, logger)
	if err != nil {
		return err
	}
	guide, err := seedDemoContent(ctx, db.Store, logger)
	if guide != nil {
		defer guide.Close()
	}
	if err != nil {
		return err
	}
	running, stop := context.WithCancel(ctx)
	defer stop()
	a := inst.Start(running, cfg, db.Store, version)
	if err := connectDemoStreamers(ctx, a, sims, creds.secretURL(cfg.ExternalURL), logger); err != nil {
		return err
	}
	go refreshLoop(running, sims, logger)
	printDemo(io, cfg.ExternalURL, creds)
	return inst.Wait()
}

// demoEnv defaults the listener to loopback port 8080 and the data to a
// short directory of its own, so the demo touches no real installation.
func demoEnv(getenv func(string) string) func(string) string {
	return func(k string) string {
		v := getenv(k)
		switch {
		case v != "":
			return v
		case k == "CANALE_HTTP_ADDR":
			return "127.0.0.1:8080"
		case k == "CANALE_DATA_DIR":
			return filepath.Join(os.TempDir(), "canale-demo")
		}
		return ""
	}
}

// demoCredentials is what the demo prints.
type demoCredentials struct {
	adminPassword, subscriberPassword, token, secret string
	resellerPassword                                 string
	tuner                                            string // the demo subscriber's tuner token
	magMAC                                           string // the demo subscriber's MAG box
}

func (c demoCredentials) secretURL(external string) string {
	return external + "/flussonic/" + c.secret + "/config"
}

// seedDemo writes the demo's data; sims are its streamers, already
// listening, in demoStreamers order.
func seedDemo(ctx context.Context, s *store.Store, external string, sims []*simulator.Simulator, logger *slog.Logger) (demoCredentials, error) {
	c := demoCredentials{adminPassword: credential.NewPassword(22), subscriberPassword: credential.NewPassword(12),
		token: credential.NewPlaybackToken()}
	adminHash, err := credential.HashPassword(c.adminPassword)
	if err != nil {
		return c, err
	}
	subHash, err := credential.HashPassword(c.subscriberPassword)
	if err != nil {
		return c, err
	}
	if _, _, err := s.UpsertAdmin(ctx, api.SystemActor("demo"), "admin", api.RoleAdmin, adminHash); err != nil {
		return c, err
	}
	seed := demoSeed(external)
	for i := range seed.Streamers {
		seed.Streamers[i].APIURL = sims[i].URL()
	}
	seed.Subscribers = []store.SeedSubscriber{{Login: "demo", PasswordHash: subHash, Token: c.token,
		Packages: []string{"Basic", "Premium"}}}
	if err := s.Seed(ctx, seed); err != nil {
		return c, err
	}
	if err := seedDemoSeries(ctx, s); err != nil {
		return c, fmt.Errorf("seed demo series: %w", err)
	}
	cat, err := s.LoadFleetCatalog(ctx) // also creates the streamer secret
	if err != nil {
		return c, err
	}
	c.secret = cat.Settings.StreamerSecret
	if c.resellerPassword, err = seedDemoReseller(ctx, s); err != nil {
		return c, err
	}
	if c.tuner, _, err = s.TunerByLogin(ctx, "demo"); err != nil {
		return c, err
	}
	if c.magMAC, err = seedDemoDevice(ctx, s); err != nil {
		return c, err
	}
	logger.Info("demo data seeded", "channels", len(seed.Channels), "streamers", len(seed.Streamers))
	return c, nil
}

func demoSeed(external string) store.Seed {
	seed := store.Seed{ExternalURL: external, Categories: []string{"News", "Sports", "Movies", "Kids"},
		// The edges record too (a dvr step on them), so the channel with
		// dvr_days has catch-up where viewers are sent.
		Pipelines: []store.SeedPipeline{{Name: "ott", Steps: []store.SeedStep{
			{Role: "ingest", Placement: "one", Streamers: []string{"ingest1"}},
			{Role: "dvr", Placement: "all", Streamers: []string{"edge1", "edge2"}},
			{Role: "edge", Placement: "all", Streamers: []string{"edge1", "edge2"}}}}},
		Packages: []store.SeedPackage{{Name: "Basic", Channels: []string{"news", "kids"}},
			{Name: "Premium", Channels: []string{"news", "sport1", "movies", "kids"}}}}
	for _, name := range demoStreamers {
		seed.Streamers = append(seed.Streamers, store.SeedStreamer{Name: name, Login: "root", Password: "demo",
			PollIntervalS: 5, TimeoutS: 3, Autobalancer: true})
	}
	for i, ch := range demoChannels {
		seed.Channels = append(seed.Channels, store.SeedChannel{Name: ch.name, Title: ch.title, Category: ch.category,
			Pipeline: "ott", Number: i + 1, DVRDays: ch.dvrDays,
			Sources: []store.FleetSource{{URL: fmt.Sprintf("udp://239.0.0.%d:1234", i+1), Priority: 1}}})
	}
	return seed
}

// listenDemoStreamers starts the simulated streamers on free loopback
// ports, without config_external yet: its URL carries the streamer secret,
// which the seed makes.
func listenDemoStreamers(logger *slog.Logger) ([]*simulator.Simulator, error) {
	var sims []*simulator.Simulator
	for _, name := range demoStreamers {
		sim := simulator.New(simulator.Options{Hostname: name + ".demo", Login: "root", Password: "demo",
			DefaultKbps: 3500, MPEGTSHold: demoMPEGTSHold, VODLocations: []string{demoVODLocation}, Logger: logger})
		if err := sim.Start(); err != nil {
			return sims, fmt.Errorf("start simulated streamer %s: %w", name, err)
		}
		sims = append(sims, sim)
	}
	return sims, nil
}

// demoMPEGTSHold is how long an HTTP MPEG-TS player of the demo is fed
// before the answer ends: long enough to watch, bounded so a forgotten
// player does not stream for ever.
const demoMPEGTSHold = 4 * time.Hour

// connectDemoStreamers lets the fleet poll the listening simulators once
// (so it knows the hostnames they will send as host=), then points each at
// config_external and has it pull its streams.
func connectDemoStreamers(ctx context.Context, a *app.App, sims []*simulator.Simulator, configURL string, logger *slog.Logger) error {
	if err := a.Fleet().Reload(ctx); err != nil {
		return err
	}
	a.Fleet().PollNow(ctx) // learn the hostnames the streamers send
	for _, sim := range sims {
		sim.SetConfigExternal(configURL)
	}
	refreshAll(ctx, sims, logger)
	a.Fleet().PollNow(ctx) // see the streams they now run, so playback works at once
	return nil
}

// refreshLoop has the simulators pull config_external every 5 s, as
// Flussonic does on its own, until ctx ends.
func refreshLoop(ctx context.Context, sims []*simulator.Simulator, logger *slog.Logger) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			refreshAll(ctx, sims, logger)
			for _, sim := range sims {
				animate(sim)
			}
		}
	}
}

// animate moves the demo's viewers, bitrates and load a little at every
// tick, so the desktop's charts show a living fleet rather than flat lines.
func animate(sim *simulator.Simulator) {
	for _, st := range sim.Streams() {
		sim.UpdateStream(st.Name, func(s *simulator.Stream) {
			s.Clients = max(0, s.Clients+rand.Int64N(7)-3)
			s.InputKbps = 3000 + rand.Int64N(1000)
			s.OutputKbps = s.InputKbps * max(1, s.Clients)
		})
	}
	sim.SetLoad(10+rand.Float64()*30, 20+rand.Float64()*10)
}

func refreshAll(ctx context.Context, sims []*simulator.Simulator, logger *slog.Logger) {
	for _, sim := range sims {
		if err := sim.Refresh(ctx); err != nil && ctx.Err() == nil {
			logger.Warn("demo streamer: pull config_external", "streamer", sim.Hostname(), "error", err)
		}
	}
}

// seedDemoContent gives the seeded channels their logos and a guide,
// imported from a server the caller closes when the demo ends.
func seedDemoContent(ctx context.Context, s *store.Store, logger *slog.Logger) (*demoGuideServer, error) {
	channels, err := demoChannelsByName(ctx, s)
	if err != nil {
		return nil, err
	}
	if err := seedDemoLogos(ctx, s, channels); err != nil {
		return nil, err
	}
	if err := seedDemoSessions(ctx, s); err != nil {
		return nil, fmt.Errorf("demo subscriber's sessions: %w", err)
	}
	if err := seedDemoVODStorage(ctx, s); err != nil {
		return nil, fmt.Errorf("demo VOD storage: %w", err)
	}
	guide, err := startDemoGuide(channels, logger)
	if err != nil {
		return nil, err
	}
	done, err := importDemoGuide(ctx, s, guide.url, logger)
	if err != nil {
		return guide, fmt.Errorf("import the demo guide: %w", err)
	}
	logger.Info("demo guide imported", "programmes", done.Programmes, "channels", done.Channels)
	return guide, nil
}

func printDemo(io IO, external string, c demoCredentials) {
	play := external + "/news/index.m3u8?" + url.Values{"token": {c.token}}.Encode()
	fmt.Fprintf(io.Out, `
Canale demo is up at %s with 4 channels on 3 simulated streamers (ingest1 -> edge1, edge2),
a day of guide, catch-up on Canale News, a movie and a series.
portal: %s/login (sign in as the subscriber below and pick a channel)
desktop: run canale-admin (make run-desktop), server %s, sign in as the admin below
login: admin
password: %s
subscriber_login: demo
subscriber_password: %s
reseller_login: %s
reseller_password: %s
reseller_panel: %s/reseller/
playback: %s
tuner_url: %s
config_external: %s/flussonic/%s/config
mag_mac: %s
mag_portal: %s/c/
Fleet: GET %s/api/v1/fleet (sign in first). Stop with Ctrl-C.
`, external, external, external, c.adminPassword, c.subscriberPassword, demoReseller, c.resellerPassword, external, play,
		hdhomerun.BaseURL(external, c.tuner), external, c.secret, c.magMAC, external, external)
}
