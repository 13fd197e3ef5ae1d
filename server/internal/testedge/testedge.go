// Package testedge starts a real streaming edge on loopback for end-to-end
// tests: nginx with the RTMP module, fed by ffmpeg test patterns, with HLS
// behind auth_request and RTMP behind on_play/on_publish. It is the
// open-source stand-in for a streamer that asks Canale who may watch.
//
// The edge serves these URL forms (see HLSURL, QueryHLSURL and RTMPURL):
//
//	http://127.0.0.1:HTTP/hls/{token}/{stream}/index.m3u8   token in the path; segments inherit it
//	http://127.0.0.1:HTTP/{stream}/index.m3u8?token={token}  token in the query; the playlist is
//	                                                          rewritten so segments carry ?token= too
//	rtmp://127.0.0.1:RTMP/live/{stream}?token={token}        play; nginx-rtmp posts token= to on_play
//	rtmp://127.0.0.1:RTMP/live/{stream}?key={key}            publish; key= goes to on_publish
//
// Every HLS request (playlist and segment) goes through auth_request to
// Options.AuthURL with X-Original-URI, X-Original-Method and X-Real-IP set;
// 2xx allows, 401/403 deny. The CORS header is sent on denials too.
package testedge

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/template"
	"time"

	"canale/server/internal/testtools"
)

// Options configures an edge. Empty URLs leave the matching check out, so
// everything is allowed.
type Options struct {
	// AuthURL receives nginx's auth_request subrequest for every HLS request.
	AuthURL string
	// OnPlayURL and OnPublishURL receive nginx-rtmp's form-encoded POSTs.
	OnPlayURL    string
	OnPublishURL string
	// OnUpdateURL receives on_update for every player and publisher each
	// UpdateEvery (nginx-rtmp's default, 30 s, when zero); OnPlayDoneURL
	// receives on_play_done when a player leaves.
	OnUpdateURL   string
	UpdateEvery   time.Duration
	OnPlayDoneURL string
	// PublishKey is sent as ?key= by Publish, for on_publish to check.
	PublishKey string
	// Streams are published before Start returns.
	Streams []string
}

// Edge is a running nginx with its publishers. Close stops it; Start
// registers Close as a cleanup.
type Edge struct {
	// Prefix is the scratch directory holding conf/, logs/, hls/ and temp/.
	Prefix   string
	HTTPPort int
	RTMPPort int

	opts  Options
	tools tools
	nginx *testtools.Proc

	mu         sync.Mutex
	publishers []*testtools.Proc
	closeOnce  sync.Once
}

// readyTimeout bounds every wait of the harness: nginx accepting, and the
// first HLS playlist of a stream (about 2 s after the push starts here).
const readyTimeout = 20 * time.Second

// Start writes a config, starts nginx in the foreground and publishes
// opts.Streams. The test fails if any of that does not work.
func Start(tb testing.TB, opts Options) *Edge {
	tb.Helper()
	t := requireTools(tb)
	// os.MkdirTemp rather than tb.TempDir: short paths keep error messages
	// readable, and nginx's prefix must not contain spaces.
	prefix, err := os.MkdirTemp("", "edge")
	if err != nil {
		tb.Fatalf("create prefix: %v", err)
	}
	e := &Edge{Prefix: prefix, opts: opts, tools: t}
	tb.Cleanup(e.Close)
	if err := e.startNginx(); err != nil {
		tb.Fatalf("start nginx: %v\nerror.log:\n%s", err, e.ErrorLogTail(30))
	}
	e.publishAll(tb, opts.Streams)
	return e
}

// publishAll publishes the streams in parallel: each waits about two
// seconds for its first HLS fragment, and those waits need not add up.
func (e *Edge) publishAll(tb testing.TB, streams []string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	errs := make([]error, len(streams))
	var wg sync.WaitGroup
	for i, s := range streams {
		wg.Go(func() { errs[i] = e.PublishWithKey(ctx, s, e.opts.PublishKey) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatalf("publish %q: %v", streams, err)
	}
}

// startNginx tries a few port pairs: a free port found by listening can be
// taken by someone else before nginx binds it.
func (e *Edge) startNginx() error {
	for _, dir := range []string{"conf", "logs", "hls", "temp"} {
		if err := os.MkdirAll(filepath.Join(e.Prefix, dir), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", dir, err)
		}
	}
	var err error
	for range 3 {
		if err = e.tryStartNginx(); err == nil {
			return nil
		}
	}
	return err
}

func (e *Edge) tryStartNginx() error {
	ports, err := freePorts(2)
	if err != nil {
		return err
	}
	e.HTTPPort, e.RTMPPort = ports[0], ports[1]
	if err := e.writeConfig(); err != nil {
		return err
	}
	cmd := exec.Command(e.tools.nginx, "-p", e.Prefix, "-c", "conf/nginx.conf", "-e", filepath.Join(e.Prefix, "logs/error.log"))
	p, err := testtools.StartProc("nginx", cmd)
	if err != nil {
		return err
	}
	if err := waitListening(p, e.HTTPPort, e.RTMPPort); err != nil {
		p.Stop(syscall.SIGKILL, 0)
		return fmt.Errorf("%w\nnginx output:\n%s", err, p.Output())
	}
	e.nginx = p
	return nil
}

//go:embed nginx.conf.tmpl
var confText string

var confTemplate = template.Must(template.New("nginx.conf").Parse(confText))

func (e *Edge) writeConfig() error {
	var buf bytes.Buffer
	err := confTemplate.Execute(&buf, map[string]any{
		"ModulePath":    ModulePath,
		"Prefix":        e.Prefix,
		"HTTPPort":      e.HTTPPort,
		"RTMPPort":      e.RTMPPort,
		"AuthURL":       e.opts.AuthURL,
		"OnPlayURL":     e.opts.OnPlayURL,
		"OnPublishURL":  e.opts.OnPublishURL,
		"OnUpdateURL":   e.opts.OnUpdateURL,
		"UpdateEveryMS": e.opts.UpdateEvery.Milliseconds(),
		"OnPlayDoneURL": e.opts.OnPlayDoneURL,
	})
	if err != nil {
		return fmt.Errorf("render nginx.conf: %w", err)
	}
	if err := os.WriteFile(e.ConfigPath(), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write nginx.conf: %w", err)
	}
	return nil
}

// waitListening polls until every port accepts connections or p exits.
func waitListening(p *testtools.Proc, ports ...int) error {
	deadline := time.Now().Add(readyTimeout)
	for _, port := range ports {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		for {
			if p.Exited() {
				return fmt.Errorf("%s exited: %v", p.Name, p.Err())
			}
			c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s not listening on %s after %v", p.Name, addr, readyTimeout)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return nil
}

// freePorts asks the kernel for n distinct free loopback ports.
func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// Close stops the publishers, then nginx (QUIT, then KILL after a grace
// period), and removes the prefix. It is safe to call more than once.
func (e *Edge) Close() {
	e.closeOnce.Do(func() {
		e.mu.Lock()
		pubs := e.publishers
		e.mu.Unlock()
		for _, p := range pubs {
			p.Stop(syscall.SIGTERM, 2*time.Second)
		}
		if e.nginx != nil {
			e.nginx.Stop(syscall.SIGQUIT, 3*time.Second)
		}
		os.RemoveAll(e.Prefix)
	})
}

// ConfigPath is the nginx.conf the edge runs with.
func (e *Edge) ConfigPath() string { return filepath.Join(e.Prefix, "conf", "nginx.conf") }

// HTTPAddr is host:port of the HLS server.
func (e *Edge) HTTPAddr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(e.HTTPPort)) }

// RTMPAddr is host:port of the RTMP server.
func (e *Edge) RTMPAddr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(e.RTMPPort)) }

// HLSURL is the playlist URL with the token in the path.
func (e *Edge) HLSURL(stream, token string) string {
	return "http://" + e.HTTPAddr() + "/hls/" + url.PathEscape(token) + "/" + url.PathEscape(stream) + "/index.m3u8"
}

// QueryHLSURL is the Flussonic-style playlist URL with the token in the
// query string.
func (e *Edge) QueryHLSURL(stream, token string) string {
	return "http://" + e.HTTPAddr() + "/" + url.PathEscape(stream) + "/index.m3u8?token=" + url.QueryEscape(token)
}

// RTMPURL is the play URL of a stream; nginx-rtmp passes token to on_play.
func (e *Edge) RTMPURL(stream, token string) string {
	u := "rtmp://" + e.RTMPAddr() + "/live/" + url.PathEscape(stream)
	if token != "" {
		u += "?token=" + url.QueryEscape(token)
	}
	return u
}

// PublishURL is the URL ffmpeg pushes to; nginx-rtmp passes key to
// on_publish.
func (e *Edge) PublishURL(stream, key string) string {
	u := "rtmp://" + e.RTMPAddr() + "/live/" + url.PathEscape(stream)
	if key != "" {
		u += "?key=" + url.QueryEscape(key)
	}
	return u
}

// ErrorLogTail returns the last n lines of nginx's error.log, for failure
// messages.
func (e *Edge) ErrorLogTail(n int) string {
	b, err := os.ReadFile(filepath.Join(e.Prefix, "logs", "error.log"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "(no error.log)"
		}
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
