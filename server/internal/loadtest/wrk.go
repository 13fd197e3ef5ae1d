package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what a wrk run reports.
type wrkResult struct {
	RequestsPerSec float64
	P50, P99       time.Duration
	Non2xx3xx      int // wrk's "Non-2xx or 3xx responses"
	Errors         string
}

// wrkOptions are one run's settings; Script is a Lua file or empty.
type wrkOptions struct {
	URL         string
	Threads     int
	Connections int
	Duration    time.Duration
	Script      string
}

// runWrk runs wrk with --latency and parses its report.
func runWrk(ctx context.Context, o wrkOptions) (wrkResult, string, error) {
	args := []string{"-t", strconv.Itoa(o.Threads), "-c", strconv.Itoa(o.Connections),
		"-d", fmt.Sprintf("%ds", int(o.Duration.Seconds())), "--latency", "--timeout", "5s"}
	if o.Script != "" {
		args = append(args, "-s", o.Script)
	}
	args = append(args, o.URL)
	ctx, cancel := context.WithTimeout(ctx, o.Duration+30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "wrk", args...).CombinedOutput()
	if err != nil {
		return wrkResult{}, string(out), fmt.Errorf("wrk %s: %w", strings.Join(args, " "), err)
	}
	r, err := parseWrk(string(out))
	return r, string(out), err
}

var (
	wrkRate    = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)(?:\.0+)?%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	wrkNon2xx  = regexp.MustCompile(`(?m)Non-2xx or 3xx responses:\s+(\d+)`)
	wrkSockErr = regexp.MustCompile(`(?m)^\s+Socket errors:.*$`)
)

// parseWrk reads the figures of a wrk --latency report.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := wrkRate.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("parse wrk output: no Requests/sec line in:\n%s", out)
	}
	r.RequestsPerSec, _ = strconv.ParseFloat(m[1], 64)
	for _, p := range wrkPct.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(p[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute}[p[3]]
		d := time.Duration(v * float64(unit))
		if p[1] == "50" {
			r.P50 = d
		} else {
			r.P99 = d
		}
	}
	if r.P99 == 0 {
		return r, fmt.Errorf("parse wrk output: no 99%% latency line (was --latency given?) in:\n%s", out)
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.Non2xx3xx, _ = strconv.Atoi(m[1])
	}
	r.Errors = strings.TrimSpace(wrkSockErr.FindString(out))
	return r, nil
}

// writePathsScript writes a wrk Lua script that requests paths in turn,
// each wrk thread starting at a different offset.
func writePathsScript(dir string, paths []string) (string, error) {
	name := filepath.Join(dir, "paths.lua")
	f, err := os.Create(name)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "local paths = {")
	for _, p := range paths {
		fmt.Fprintf(w, "  %q,\n", p)
	}
	fmt.Fprintln(w, "}")
	fmt.Fprintln(w, `local i = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 7919)
end
function init(args)
  i = (offset or 0) % #paths
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end`)
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	return name, f.Close()
}
