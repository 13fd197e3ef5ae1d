//go:build loadtest

package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// wrkOptions are one run's settings; Script is a Lua file or empty.
type wrkOptions struct {
	URL         string
	Threads     int
	Connections int
	Duration    time.Duration
	Script      string
	Headers     []string // "Name: value", sent with every request (wrk -H)
}

// runWrk runs wrk with --latency and parses its report.
func runWrk(ctx context.Context, o wrkOptions) (wrkResult, string, error) {
	args := []string{"-t", strconv.Itoa(o.Threads), "-c", strconv.Itoa(o.Connections),
		"-d", fmt.Sprintf("%ds", int(o.Duration.Seconds())), "--latency", "--timeout", "5s"}
	if o.Script != "" {
		args = append(args, "-s", o.Script)
	}
	for _, h := range o.Headers {
		args = append(args, "-H", h)
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

// writePathsScript writes a wrk Lua script named name that requests paths
// in turn, each wrk thread starting at a different offset.
func writePathsScript(name string, paths []string) (string, error) {
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
