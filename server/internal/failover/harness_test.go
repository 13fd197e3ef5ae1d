package failover_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/playauth"
	"canale/server/internal/testtools"
)

// cutProxy is a TCP relay between one Canale instance and haproxy that the
// test can cut: Cut closes every relayed connection and refuses new ones
// (as a firewall rejecting the instance would), Heal lets them through again.
type cutProxy struct {
	ln     net.Listener
	target string
	cut    atomic.Bool
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
}

func startCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.closeAll() })
	return p
}

func (p *cutProxy) Addr() string { return p.ln.Addr().String() }

func (p *cutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.cut.Load() {
			c.Close()
			continue
		}
		go p.relay(c)
	}
}

func (p *cutProxy) relay(c net.Conn) {
	up, err := net.DialTimeout("tcp", p.target, 2*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[up] = struct{}{}, struct{}{}
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, c); done <- struct{}{} }()
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
	c.Close()
	up.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, up)
	p.mu.Unlock()
}

func (p *cutProxy) Cut()  { p.cut.Store(true); p.closeAll() }
func (p *cutProxy) Heal() { p.cut.Store(false) }

func (p *cutProxy) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

// startNginx puts nginx in front of the instances, round robin, as an
// operator's load balancer (packaging/ha/nginx.conf). It retries another
// instance only when a connection fails before any answer (nginx's default
// "error timeout", which a keepalive connection closed by the instance at
// the wrong moment needs); an answer Canale gives, 5xx included, reaches
// the streamer as it is, so an instance's failure shows in the figures.
func startNginx(t *testing.T, upstreams ...string) string {
	t.Helper()
	bin, err := testtools.Look("nginx")
	if err != nil {
		testtools.Missing(t, "nginx not found", "apt-get install nginx")
	}
	dir := t.TempDir()
	for _, d := range []string{"logs", "temp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var servers strings.Builder
	for _, u := range upstreams {
		fmt.Fprintf(&servers, "server %s max_fails=0;\n", strings.TrimPrefix(u, "http://"))
	}
	conf := fmt.Sprintf(`daemon off; pid %[1]s/nginx.pid; error_log %[1]s/logs/error.log warn;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path %[1]s/temp/body; proxy_temp_path %[1]s/temp/proxy;
  fastcgi_temp_path %[1]s/temp/fastcgi; uwsgi_temp_path %[1]s/temp/uwsgi; scgi_temp_path %[1]s/temp/scgi;
  upstream canale { %[2]s keepalive 32; }
  server {
    listen %[3]s;
    location / {
      proxy_pass http://canale;
      proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_next_upstream error timeout;
      proxy_read_timeout 10s;
    }
  }
}
`, dir, servers.String(), addr)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-c", path, "-e", filepath.Join(dir, "logs/error.log"))
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx did not listen on %s: %s", addr, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checks counts the play checks the players made, by what they should get.
type checks struct {
	mu                    sync.Mutex
	total, wrong          int
	windows               []window // outages: checks started inside are counted apart
	inWindow, wrongWindow int
	firstWrong            string
}

type window struct{ from, to time.Time }

func (c *checks) record(start time.Time, wantAllowed bool, status int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total++
	in := false
	for _, w := range c.windows {
		if !start.Before(w.from) && (w.to.IsZero() || start.Before(w.to)) {
			in = true
		}
	}
	if in {
		c.inWindow++
	}
	bad := err != nil || (wantAllowed && status != http.StatusOK) || (!wantAllowed && status != http.StatusForbidden)
	if bad {
		c.wrong++
		if in {
			c.wrongWindow++
		}
		if c.firstWrong == "" {
			c.firstWrong = fmt.Sprintf("at %s allowed=%v: status %d err %v", start.Format("15:04:05.000"), wantAllowed, status, err)
		}
	}
}

func (c *checks) open(at time.Time) {
	c.mu.Lock()
	c.windows = append(c.windows, window{from: at})
	c.mu.Unlock()
}

func (c *checks) close(at time.Time) {
	c.mu.Lock()
	c.windows[len(c.windows)-1].to = at
	c.mu.Unlock()
}

// players ask the simulators for playlists, each request from a new
// loopback address so the streamer opens a new session and asks Canale
// (through nginx) every time instead of answering from its cache.
func players(ctx context.Context, wg *sync.WaitGroup, sims []*simulator.Simulator, channels, good, bad []string, c *checks) {
	var n atomic.Int64
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				k := n.Add(1)
				ip := net.IPv4(127, byte(10+k/62500%200), byte(k/250%250), byte(k%250+1))
				allowed := i%5 != 0
				tok := bad[int(k)%len(bad)]
				if allowed {
					tok = good[int(k)%len(good)]
				}
				u := sims[w%len(sims)].URL() + "/" + channels[int(k)%len(channels)] + "/index.m3u8?token=" + url.QueryEscape(tok)
				start := time.Now()
				status, err := getFrom(ctx, ip, u)
				if ctx.Err() != nil {
					return
				}
				c.record(start, allowed, status, err)
				time.Sleep(15 * time.Millisecond)
			}
		}()
	}
}

func getFrom(ctx context.Context, ip net.IP, u string) (int, error) {
	tr := &http.Transport{DisableKeepAlives: true,
		DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 5 * time.Second}).DialContext}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr, Timeout: 15 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := cl.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// authCheck asks an instance directly, as a streamer would, whether token
// may open session id on ch1; it returns the HTTP status.
func authCheck(t *testing.T, base, secret, token, session string) int {
	t.Helper()
	q := url.Values{"name": {"ch1"}, "token": {token}, "session_id": {session}, "ip": {"10.0.0.1"},
		"proto": {"hls"}, "request_type": {"new_session"}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+playauth.AuthPath(secret)+"?"+q.Encode(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("auth check on %s: %v", base, err)
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
