//go:build loadtest

package loadtest

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"time"
)

// openLoopEnv, set to 1, makes the test binary the generator process; it
// reads an openLoopConfig (JSON) on standard input.
const openLoopEnv = "CANALE_LOAD_OPENLOOP"

// openLoopConfig is one fixed-rate run.
type openLoopConfig struct {
	Base        string // http://host:port
	Paths       []string
	Rate        float64 // requests per second
	Duration    time.Duration
	Connections int
}

// openLoopResult is what a fixed-rate run measured.
type openLoopResult struct {
	Sent, Failed int
	P50, P99     time.Duration
	Achieved     float64       // requests/s actually completed
	Start        time.Time     // when the first request was due
	MaxLag       time.Duration // how far the generator's own clock fell behind its schedule
	Slow         int           // answers slower than slowAfter
	// Bursts are the tenths of a second into the run that hold the most
	// slow answers, as "at+count": a periodic stall (a rebuild, a flush)
	// shows as a few full tenths, scheduling noise as many thin ones.
	Bursts []string
}

// slowAfter is the p99 target: answers slower are counted by when
// they were sent.
const slowAfter = 2 * time.Millisecond

// openLoop runs cfg in a separate process (this test binary, re-run with
// openLoopEnv set), so the generator's goroutines and garbage collector do
// not share a runtime with the server's million-subscriber heap, and what
// it times is the server's answer, not the harness's own pauses.
func openLoop(ctx context.Context, cfg openLoopConfig) (openLoopResult, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return openLoopResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration+time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	// One P and no collector: the generator's connection goroutines then
	// hand over without waking threads, which roughly halves what it costs
	// per request on a machine it shares with the server it measures.
	cmd.Env = append(os.Environ(), openLoopEnv+"=1", "GOMAXPROCS=1", "GOGC=off")
	cmd.Stdin = bytes.NewReader(b)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return openLoopResult{}, fmt.Errorf("open-loop generator: %w\n%s", err, stderr.String())
	}
	var r openLoopResult
	if err := json.Unmarshal(out, &r); err != nil {
		return r, fmt.Errorf("open-loop generator output %q: %w", out, err)
	}
	return r, nil
}

// openLoopMain is the generator process: it runs the configuration read
// from standard input and prints the result as JSON on standard output.
func openLoopMain() int {
	var cfg openLoopConfig
	if err := json.NewDecoder(os.Stdin).Decode(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "open-loop config:", err)
		return 2
	}
	r, err := runOpenLoop(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		return 1
	}
	return 0
}

// job is one scheduled request; sent is when the dispatcher released it.
type job struct {
	sent time.Time
	req  []byte
	i    int
}

// runOpenLoop releases requests on a fixed schedule to a pool of
// keep-alive connections and times each from its release, so queueing
// behind a slow answer counts against the server (no coordinated
// omission). Requests are pre-built bytes and answers are read with a
// minimal HTTP/1.1 parser: a net/http client costs several times what the
// server spends per request, and on a two-core machine that would be
// measured as the server's latency.
func runOpenLoop(cfg openLoopConfig) (openLoopResult, error) {
	u, err := url.Parse(cfg.Base)
	if err != nil {
		return openLoopResult{}, err
	}
	reqs := make([][]byte, len(cfg.Paths))
	for i, p := range cfg.Paths {
		reqs[i] = []byte("GET " + p + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: canale-openloop\r\n\r\n")
	}
	total := int(cfg.Rate * cfg.Duration.Seconds())
	jobs := make(chan job, total+1)
	took := make([]time.Duration, total) // by job; each is written by one connection
	var mu sync.Mutex
	failed := 0
	var wg sync.WaitGroup
	for range cfg.Connections {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			return openLoopResult{}, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			br := bufio.NewReaderSize(c, 16<<10)
			bad := 0
			for j := range jobs {
				if err := roundTrip(c, br, j.req); err != nil {
					bad++
				}
				took[j.i] = time.Since(j.sent)
			}
			mu.Lock()
			failed += bad
			mu.Unlock()
		}()
	}
	start := time.Now()
	interval := time.Duration(float64(time.Second) / cfg.Rate)
	var maxLag time.Duration
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		now := time.Now()
		if wait := due.Sub(now); wait > 0 {
			time.Sleep(wait)
			now = time.Now()
		}
		maxLag = max(maxLag, now.Sub(due))
		jobs <- job{sent: now, req: reqs[i%len(reqs)], i: i}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	r := openLoopResult{Sent: total, Failed: failed, Achieved: float64(total) / elapsed.Seconds(), MaxLag: maxLag, Start: start}
	r.Slow, r.Bursts = slowBursts(took, interval)
	lat := slices.Clone(took)
	slices.Sort(lat)
	if len(lat) > 0 {
		r.P50 = lat[len(lat)/2]
		r.P99 = lat[len(lat)*99/100]
	}
	return r, nil
}

// slowBursts counts the answers slower than slowAfter (took is by job, and
// job i was due at i*interval) and names the eight tenths of a second that
// hold the most.
func slowBursts(took []time.Duration, interval time.Duration) (int, []string) {
	slow, tenths := 0, map[int]int{}
	for i, d := range took {
		if d > slowAfter {
			slow++
			tenths[int(time.Duration(i)*interval/(100*time.Millisecond))]++
		}
	}
	keys := slices.Collect(maps.Keys(tenths))
	slices.SortFunc(keys, func(a, b int) int { return cmp.Or(tenths[b]-tenths[a], a-b) })
	var bursts []string
	for _, k := range keys[:min(8, len(keys))] {
		bursts = append(bursts, fmt.Sprintf("%.1fs+%d", float64(k)/10, tenths[k]))
	}
	return slow, bursts
}

// roundTrip writes req and reads one answer: a status of the play-auth
// protocol (200 allowed, 403 refused) or a redirect, with a Content-Length
// body, which is how Canale answers these endpoints.
func roundTrip(c net.Conn, br *bufio.Reader, req []byte) error {
	if _, err := c.Write(req); err != nil {
		return err
	}
	line, err := br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if len(line) < 12 {
		return fmt.Errorf("short status line %q", line)
	}
	status := string(line[9:12])
	length := -1
	for {
		h, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		if k, v, ok := bytes.Cut(h, []byte(":")); ok && bytes.EqualFold(k, []byte("Content-Length")) {
			length, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	if length < 0 {
		return errors.New("answer without Content-Length")
	}
	if _, err := br.Discard(length); err != nil {
		return err
	}
	switch status {
	case "200", "403", "302":
		return nil
	}
	return fmt.Errorf("status %s", status)
}
