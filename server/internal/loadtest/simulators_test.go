//go:build loadtest

package loadtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"canale/server/internal/flussonic/simulator"
)

// simulatorsEnv, set to 1, makes the test binary a process of simulated
// streamers: it reads a simulatorsConfig (JSON) on standard input, prints
// each simulator's URL on a line, and serves until standard input closes.
// The poller is then measured alone: the server's process spends only its
// own CPU on a poll cycle, not the 200 simulators' answering it.
const simulatorsEnv = "CANALE_LOAD_SIMULATORS"

// simulatorsConfig names the simulators to start and their streams.
type simulatorsConfig struct {
	Hostnames []string
	Streams   []simulator.Stream
}

func simulatorsMain() int {
	var cfg simulatorsConfig
	if err := json.NewDecoder(os.Stdin).Decode(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "simulators config:", err)
		return 2
	}
	w := bufio.NewWriter(os.Stdout)
	for _, h := range cfg.Hostnames {
		sim := simulator.New(simulator.Options{Hostname: h, Streams: cfg.Streams})
		if err := sim.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer sim.Close()
		fmt.Fprintln(w, sim.URL())
	}
	if err := w.Flush(); err != nil {
		return 1
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	return 0
}

// startSimulators runs the simulators in their own process (this binary
// re-run with simulatorsEnv) and returns their URLs in the order of
// hostnames; they stop with the test.
func startSimulators(t *testing.T, hostnames []string, streams []simulator.Stream) []string {
	t.Helper()
	cfg, err := json.Marshal(simulatorsConfig{Hostnames: hostnames, Streams: streams})
	if err != nil {
		t.Fatal(err)
	}
	stdin, r := startChild(t, simulatorsEnv)
	if _, err := stdin.Write(append(cfg, '\n')); err != nil {
		t.Fatal(err)
	}
	urls := make([]string, len(hostnames))
	for i := range urls {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("simulator %d's URL: %v", i, err)
		}
		urls[i] = strings.TrimSpace(line)
	}
	return urls
}
