package app_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/hdhomerun"
	"canale/server/internal/playauth"
	"canale/server/internal/store"
	"canale/server/internal/testedge"
	"canale/server/internal/testserver"
	"canale/server/internal/testtools"
	"canale/shared/api"
)

// tunerChain is a test server whose channels ch1 and ch2 play on a real
// nginx+ffmpeg edge that asks Canale's play authorization, and alice, who
// holds both and may watch one stream at a time.
type tunerChain struct {
	srv   *testserver.Server
	edge  *testedge.Edge
	alice api.Subscriber
}

func startTunerChain(t *testing.T) tunerChain {
	t.Helper()
	srv := testserver.Start(t)
	ctx := t.Context()
	settings, err := srv.Store.FindSettings(ctx, api.SystemActor("test"))
	if err != nil {
		t.Fatal(err)
	}
	edge := testedge.Start(t, testedge.Options{Streams: []string{"ch1", "ch2"},
		AuthURL: srv.URL + playauth.NginxAuthPath(settings.StreamerSecret)})
	edge.Publish(t, "ch1")
	edge.Publish(t, "ch2")
	sim := simulator.New(simulator.Options{Hostname: "e1.test", Streams: []simulator.Stream{
		{Name: "ch1", Alive: true, InputKbps: 3000, OutputKbps: 3000},
		{Name: "ch2", Alive: true, InputKbps: 3000, OutputKbps: 3000}}})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	hash, err := credential.HashPassword(chainPassword)
	if err != nil {
		t.Fatal(err)
	}
	src := []store.FleetSource{{URL: "udp://239.0.0.1:1234"}}
	applySeed(t, srv, store.Seed{ExternalURL: srv.URL,
		Streamers: []store.SeedStreamer{{Name: "e1", APIURL: sim.URL(), PublicURL: "http://" + edge.HTTPAddr()}},
		Pipelines: []store.SeedPipeline{{Name: "p", Steps: []store.SeedStep{{Role: "edge", Placement: "all", Streamers: []string{"e1"}}}}},
		Channels: []store.SeedChannel{{Name: "ch1", Title: "Channel One", Pipeline: "p", Number: 101, Sources: src},
			{Name: "ch2", Title: "Channel Two", Pipeline: "p", Number: 102, Sources: src}},
		Packages:    []store.SeedPackage{{Name: "Basic", Channels: []string{"ch1", "ch2"}}},
		Subscribers: []store.SeedSubscriber{{Login: "alice", PasswordHash: hash, Token: "tok-alice", Packages: []string{"Basic"}}},
	})
	cs, ok := srv.App.Catalog().SubscriberByLogin("alice")
	if !ok {
		t.Fatal("alice is not in the read model")
	}
	one := 1
	alice, err := srv.Admin.UpdateSubscriber(ctx, cs.ID, api.SubscriberUpdate{MaxSessions: &one, Version: cs.Version})
	if err != nil {
		t.Fatal(err)
	}
	return tunerChain{srv: srv, edge: edge, alice: alice}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// openTuner opens a tuner stream and reads its first TS packet, failing
// unless it comes as MPEG-TS within the bound a media server allows.
func openTuner(t *testing.T, u string) (*http.Response, time.Duration) {
	t.Helper()
	start := time.Now()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "video/mp2t" {
		t.Fatalf("tuner stream %s: %d %q (%s)", u, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("X-HDHomeRun-Error"))
	}
	pkt := make([]byte, 188)
	if _, err := io.ReadFull(res.Body, pkt); err != nil {
		t.Fatalf("first TS packet: %v", err)
	}
	took := time.Since(start)
	if pkt[0] != 0x47 {
		t.Fatalf("first byte %#x, want the TS sync byte 0x47", pkt[0])
	}
	return res, took
}

// TestTunerThroughEdge adds alice's tuner as a media server would (its URL
// from the admin API, then discover.json and lineup.json), tunes a channel
// through the balancer and the real edge, and checks that the tuner stream
// is a session like any other: while it plays, an Xtream play of another
// channel is refused, and so is a second tuner stream; once the session is
// killed the tuner stream ends and the Xtream app plays, and then the tuner
// is the one refused. A reset of the tuner takes the old URL away and
// leaves the playback token alone.
func TestTunerThroughEdge(t *testing.T) {
	c := startTunerChain(t)
	ctx := t.Context()
	srv, alice := c.srv, c.alice
	if want := srv.URL + hdhomerun.Prefix + "/" + alice.TunerToken; alice.TunerURL != want || len(alice.TunerToken) < 32 {
		t.Fatalf("tuner_url %q, want %q with a token of at least 128 bits", alice.TunerURL, want)
	}
	var disc hdhomerun.Discover
	getJSON(t, alice.TunerURL+"/discover.json", &disc)
	if disc.TunerCount != 1 || disc.LineupURL != alice.TunerURL+"/lineup.json" {
		t.Fatalf("discover.json: %+v, want TunerCount 1 (alice's limit)", disc)
	}
	var lineup []hdhomerun.LineupEntry
	getJSON(t, disc.LineupURL, &lineup)
	if len(lineup) != 2 || lineup[0].GuideNumber != "101" || lineup[1].GuideNumber != "102" {
		t.Fatalf("lineup.json: %+v", lineup)
	}

	// The first stream of the test: nothing is warm on the edge or in Canale.
	held, took := openTuner(t, lineup[0].URL+"?transcode=heavy")
	t.Logf("first TS packet after %v", took.Round(time.Millisecond))
	if took > 3*time.Second {
		t.Errorf("first TS packet after %v, want within 3s (Plex gives up when it is slow)", took)
	}
	go io.Copy(io.Discard, held.Body) // the media server keeps watching

	// ffprobe, a client someone else wrote, reads the tuner's MPEG-TS. The
	// edge sees the same token, address and channel, so this second
	// connection is the same session and is let in.
	probeCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := testedge.Probe(probeCtx, lineup[0].URL); err != nil {
		t.Fatalf("ffprobe of the tuner stream: %v", err)
	}

	xc := fmt.Sprintf("%s/live/alice/%s/%d.m3u8", srv.URL, chainPassword, channelID(t, c, "ch2"))
	if err := testedge.Probe(probeCtx, xc); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("Xtream play of ch2 while the tuner plays ch1: %v, want a 403 (limit 1)", err)
	}
	if res := plainGet(t, lineup[1].URL); res.StatusCode != http.StatusServiceUnavailable ||
		res.Header.Get("X-HDHomeRun-Error") != "805 All Tuners In Use" {
		t.Fatalf("second tuner stream: %d %q, want 503 805", res.StatusCode, res.Header.Get("X-HDHomeRun-Error"))
	}

	killSessions(t, c)
	ended := make(chan struct{})
	go func() { io.Copy(io.Discard, held.Body); close(ended) }()
	select {
	case <-ended:
	case <-time.After(20 * time.Second):
		t.Fatal("the tuner stream went on after its session was killed")
	}
	if err := testedge.Probe(probeCtx, xc); err != nil {
		t.Fatalf("Xtream play after the tuner's session was killed: %v", err)
	}
	if res := plainGet(t, lineup[0].URL); res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("tuner stream while the Xtream app plays: %d, want 503", res.StatusCode)
	}

	reset, err := srv.Admin.ResetSubscriberTuner(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if reset.TunerURL == alice.TunerURL || reset.Token != alice.Token {
		t.Fatalf("after reset: tuner %q (was %q), token %q (was %q); want a new tuner URL, the same token",
			reset.TunerURL, alice.TunerURL, reset.Token, alice.Token)
	}
	for _, u := range []string{alice.TunerURL + "/discover.json", alice.TunerURL + "/lineup.json", lineup[0].URL} {
		if res := plainGet(t, u); res.StatusCode != http.StatusNotFound {
			t.Errorf("old tuner URL %s after reset: %d, want 404", u, res.StatusCode)
		}
	}
	getJSON(t, reset.TunerURL+"/discover.json", &disc)
	if disc.BaseURL != reset.TunerURL {
		t.Errorf("new tuner: BaseURL %q, want %q", disc.BaseURL, reset.TunerURL)
	}
}

func channelID(t *testing.T, c tunerChain, name string) int64 {
	t.Helper()
	ch, ok := c.srv.App.Catalog().Channel(name)
	if !ok {
		t.Fatalf("no channel %s", name)
	}
	return ch.ID
}

// killSessions kills alice's live sessions through the admin API, waiting
// for the batched session writer to have recorded them.
func killSessions(t *testing.T, c tunerChain) {
	t.Helper()
	ctx := t.Context()
	deadline := time.Now().Add(10 * time.Second)
	for {
		page, err := c.srv.Admin.PlaySessions(ctx, api.PlaySessionFilter{SubscriberID: c.alice.ID}, api.ListParams{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) > 0 {
			for _, s := range page.Items {
				if err := c.srv.Admin.KillPlaySession(ctx, s.ID); err != nil {
					t.Fatal(err)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("alice's tuner session was never recorded")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestTunerDiscoveryHDHomeRunConfig: with CANALE_TUNER_DISCOVERY_LOGIN set,
// SiliconDust's own client (hdhomerun_config, Debian's hdhomerun-config)
// finds the subscriber's tuner over UDP 65001, with the DeviceID its
// discover.json gives, and every tuner of theirs answers: the whole one
// first, then one per package they hold, each as its discover.json
// describes it. It is the only test that binds 65001.
func TestTunerDiscoveryHDHomeRunConfig(t *testing.T) {
	tool, err := testtools.Look("hdhomerun_config")
	if err != nil {
		testtools.Missing(t, "hdhomerun_config not found", "apt-get install -y hdhomerun-config (make deps)")
	}
	srv := testserver.StartWith(t, "--tuner-discovery-login", "Alice", "--tuner-discovery-addr", "127.0.0.1:65001")
	ctx := t.Context()
	err = srv.Store.Seed(ctx, store.Seed{ExternalURL: srv.URL,
		Packages:    []store.SeedPackage{{Name: "Basic"}, {Name: "Sports"}},
		Subscribers: []store.SeedSubscriber{{Login: "alice", PasswordHash: "x", Token: "tok-alice", Packages: []string{"Basic", "Sports"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Catalog().Load(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := srv.Admin.Subscribers(ctx, api.SubscriberFilter{}, api.ListParams{})
	if err != nil || len(page.Items) != 1 || len(page.Items[0].Tuners) != 3 {
		t.Fatalf("subscribers: %+v, %v; want alice with her whole tuner and Basic's and Sports'", page, err)
	}
	var want [][]byte
	for _, tu := range page.Items[0].Tuners {
		var disc hdhomerun.Discover
		getJSON(t, tu.URL+"/discover.json", &disc)
		id, err := strconv.ParseUint(disc.DeviceID, 16, 32)
		if err != nil || disc.DeviceID != tu.DeviceID {
			t.Fatalf("tuner %+v: discover.json says DeviceID %q", tu, disc.DeviceID)
		}
		want = append(want, hdhomerun.DiscoverReply(hdhomerun.Advert{DeviceID: uint32(id), TunerCount: disc.TunerCount, BaseURL: disc.BaseURL}))
	}
	runCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(runCtx, tool, "discover", "127.0.0.1").CombinedOutput()
	if err != nil {
		t.Fatalf("hdhomerun_config discover: %v: %s", err, out)
	}
	if want := "hdhomerun device " + page.Items[0].Tuners[0].DeviceID + " found at 127.0.0.1"; !strings.Contains(string(out), want) {
		t.Fatalf("hdhomerun_config discover printed %q, want %q", out, want)
	}
	t.Logf("hdhomerun_config: %s", strings.TrimSpace(string(out)))
	// hdhomerun_config keeps one device per address and base URL, and
	// drops a base URL longer than 28 characters as every tuner URL is,
	// so it lists the first answer from an address: the whole tuner. The
	// others are read here as the packets a client receives.
	if got := discoverReplies(t, "127.0.0.1:65001"); !slices.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("discovery answered %d packets %x, want the whole tuner's and each package's, %x", len(got), got, want)
	}
}

// discoverReplies sends Jellyfin's discover request (every device type and
// id, spec hdhomerun.md §5.1) to addr and returns the replies, in order.
func discoverReplies(t *testing.T, addr string) [][]byte {
	t.Helper()
	conn, err := net.Dial("udp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	jellyfin, _ := hex.DecodeString("0002000c0104ffffffff0204ffffffff73cc7d8f")
	if _, err := conn.Write(jellyfin); err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	buf := make([]byte, 1500)
	for {
		conn.SetReadDeadline(time.Now().Add(time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			return got
		}
		got = append(got, bytes.Clone(buf[:n]))
	}
}
