package playauth_test

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/flussonic/simulator"
)

const limitSeed = `UPDATE subscribers SET max_sessions = 3 WHERE id = 9`

// TestSessionLimitAcrossInstances sends 200 new sessions of one subscriber
// at once, split between two Canale instances on one database: exactly the
// limit gets in, whatever instance each request reaches.
func TestSessionLimitAcrossInstances(t *testing.T) {
	a := startSeeded(t)
	a.exec(t, limitSeed)
	a.reload(t)
	b := startInstance(t, a.dsn)
	var allowed, denied atomic.Int64
	var wg sync.WaitGroup
	for i := range 200 {
		base := a.url
		if i%2 == 1 {
			base = b.url
		}
		wg.Go(func() {
			v := url.Values{"name": {"ch1"}, "proto": {"hls"}, "ip": {fmt.Sprintf("10.0.%d.%d", i/250, i%250)},
				"request_type": {"new_session"}, "session_id": {fmt.Sprintf("conc-%d", i)}, "token": {"tok-limited"}}
			resp, err := client.Get(base + "/flussonic/" + secret + "/auth?" + v.Encode())
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusOK:
				allowed.Add(1)
			case http.StatusForbidden:
				denied.Add(1)
			default:
				t.Errorf("status %d, want 200 or 403", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 3 {
		t.Errorf("admitted %d sessions, want exactly the limit 3 (denied %d)", got, denied.Load())
	}
}

// TestSessionLimitThroughSimulatedStreamers has 200 players, each from its
// own loopback address, open one stream at once on two simulated Flussonic
// streamers, each asking a different Canale instance.
func TestSessionLimitThroughSimulatedStreamers(t *testing.T) {
	a := startSeeded(t)
	a.exec(t, limitSeed)
	a.reload(t)
	b := startInstance(t, a.dsn)
	var sims []*simulator.Simulator
	for _, in := range []*instance{a, b} {
		sim := simulator.New(simulator.Options{AuthURL: in.url + "/flussonic/" + secret + "/auth",
			Streams: []simulator.Stream{{Name: "ch1", Alive: true}}})
		if err := sim.Start(); err != nil {
			t.Fatalf("start simulator: %v", err)
		}
		t.Cleanup(func() { sim.Close() })
		sims = append(sims, sim)
	}
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for i := range 200 {
		sim := sims[i%2]
		wg.Go(func() {
			c := playerFrom(fmt.Sprintf("127.0.%d.%d", 1+i/200, 1+i%200))
			resp, err := c.Get(sim.URL() + "/ch1/index.m3u8?token=tok-limited")
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				allowed.Add(1)
			} else if resp.StatusCode != http.StatusForbidden {
				t.Errorf("player status %d, want 200 or 403", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 3 {
		t.Errorf("%d players got the stream, want exactly the limit 3", got)
	}
}

// playerFrom is an HTTP client whose connections come from a given loopback
// address, so the streamer sees a distinct client IP.
func playerFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
}
