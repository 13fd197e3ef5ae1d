package fleet_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"canale/server/internal/fleet"
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// processCPU is the user+system CPU time of this process so far.
func processCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPollCycle polls N simulated streamers × M streams once per
// iteration (CANALE_BENCH_STREAMERS, CANALE_BENCH_STREAMS; default 20×500).
// cpu-ms/cycle is process CPU, so it includes the simulators answering
// from their page caches as well as the poller decoding and publishing.
func BenchmarkPollCycle(b *testing.B) {
	n, m := envInt("CANALE_BENCH_STREAMERS", 20), envInt("CANALE_BENCH_STREAMS", 500)
	p := fleet.New(fleet.Config{})
	targets := make([]fleet.Target, n)
	for i := range targets {
		sim := startSim(b, fmt.Sprintf("s%03d", i), m)
		targets[i] = target(b, sim.Hostname(), sim, time.Hour, 30*time.Second)
	}
	p.SetTargets(targets)
	ctx := context.Background()
	p.PollNow(ctx) // warm page caches and connections
	b.ResetTimer()
	cpu := processCPU(b)
	for b.Loop() {
		p.PollNow(ctx)
	}
	used := processCPU(b) - cpu
	b.ReportMetric(float64(used)/float64(time.Millisecond)/float64(b.N), "cpu-ms/cycle")
	b.ReportMetric(float64(n*m), "streams/cycle")
	for id, s := range p.Snapshot().Streamers {
		if !s.Up() || len(s.Streams) != m {
			b.Fatalf("%s: up %v with %d streams, want up with %d", id, s.Up(), len(s.Streams), m)
		}
	}
}
