package app_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"canale/server/internal/testserver"
)

// endless is a body of n bytes: prefix, then filler, counting what the
// transport took from it, which is what the server let through (plus the
// sockets' buffers).
type endless struct {
	prefix string
	line   string // repeated after prefix
	n      int64
	sent   atomic.Int64
}

func (e *endless) Read(p []byte) (int, error) {
	done := e.sent.Load()
	if done >= e.n {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), e.n-done)]
	for i := range p {
		pos := done + int64(i)
		if pos < int64(len(e.prefix)) {
			p[i] = e.prefix[pos]
		} else {
			p[i] = e.line[(pos-int64(len(e.prefix)))%int64(len(e.line))]
		}
	}
	e.sent.Add(int64(len(p)))
	return len(p), nil
}

// postBody sends body chunked (no Content-Length: only reading can stop it) and
// returns the status, 0 when the server closed the connection instead, and
// the answer.
func postBody(t *testing.T, url, contentType, bearer string, body io.Reader) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, body)
	req.Header.Set("Content-Type", contentType)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	// A small send buffer, so what the server took is not hidden in ours.
	dialer := &net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var err error
		_ = rc.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF, 64<<10) })
		return err
	}}
	// The harness's own bound, below the server's (10 s plus a second per
	// MiB a route takes): parsing 256 MiB under the race detector on a
	// loaded two-core machine took over a minute, and the test is about the
	// answer, not the speed.
	c := &http.Client{Timeout: 4 * time.Minute, Transport: &http.Transport{DialContext: dialer.DialContext}}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHugeBodiesAreNotRead is the attack: 120 MB posted to the open routes
// that read forms. Today's Xtream API spooled a multipart one to /tmp and
// read 10 MB of a urlencoded one into memory; the portal did the same.
func TestHugeBodiesAreNotRead(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	const size, allowed = 120 << 20, 4 << 20 // allowed: the limit plus what the sockets buffer
	multipart := "--b\r\nContent-Disposition: form-data; name=\"username\"; filename=\"a\"\r\n\r\n"
	for _, tc := range []struct{ name, path, contentType, prefix string }{
		{"XCMultipart", "/player_api.php", "multipart/form-data; boundary=b", multipart},
		{"XCForm", "/player_api.php", "application/x-www-form-urlencoded", "username=a&password="},
		{"PortalMultipart", "/login", "multipart/form-data; boundary=b", multipart},
		{"PortalForm", "/login", "application/x-www-form-urlencoded", "login=a&password="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &endless{prefix: tc.prefix, line: "x", n: size}
			status, _ := postBody(t, srv.URL+tc.path, tc.contentType, "", body)
			if sent := body.sent.Load(); sent > allowed {
				t.Errorf("the server took %d MiB of a %d MiB body (answer %d), want at most %d MiB",
					sent>>20, size>>20, status, allowed>>20)
			}
		})
	}
}

// TestSubscriberImportPastTheLimitIsAnError: a CSV import larger than its
// limit used to be cut there silently and imported as if whole.
func TestSubscriberImportPastTheLimitIsAnError(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	line := strings.Repeat("x", 1<<20-2) + ",\n" // one bad line per MiB: cheap to parse
	body := &endless{prefix: "login,password\n", line: line, n: 257 << 20}
	status, answer := postBody(t, srv.URL+"/api/v1/subscribers/import?dry_run=true", "text/csv", srv.Admin.Token(), body)
	if status != http.StatusBadRequest || !strings.Contains(answer, "256 MiB") || !strings.Contains(answer, `"body"`) {
		t.Errorf("import of 257 MiB: got %d %.300s, want 400 naming the body and its 256 MiB limit", status, answer)
	}
}

// TestSlowBodyIsCut is the slow-loris attack on a body: headers promise
// 1000 bytes, which then come one a second. The server must give up within
// its body timeout (10 s for a small route), not hold the connection and a
// handler for the 17 minutes the client asks for.
func TestSlowBodyIsCut(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /player_api.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: 1000\r\n\r\nusername=")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // one byte a second until the server hangs up
		for ctx.Err() == nil {
			if _, err := conn.Write([]byte("a")); err != nil {
				return
			}
			time.Sleep(time.Second)
		}
	}()
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(20 * time.Second)) // the test's own bound
	_, err = io.Copy(io.Discard, bufio.NewReader(conn))   // returns when the server closes (or resets)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server still read a body sent a byte a second after %s: %v", time.Since(start).Round(time.Second), err)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("the slow body was cut after %s, want about 10s", took.Round(time.Second))
	}
}
