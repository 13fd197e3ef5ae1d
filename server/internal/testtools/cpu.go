package testtools

import (
	"syscall"
	"testing"
	"time"
)

// ReportCPU reports the process's CPU time per operation as cpu-ns/op
// (user and system, every goroutine: handlers, background writers, the
// collector) when the returned function is called at the end of a
// benchmark. On a machine shared with other work it holds where ns/op, a
// wall-clock figure, does not: a neighbour's load stretches the wall time
// of a request, not its CPU.
func ReportCPU(b *testing.B) func() {
	start := ProcessCPU(b)
	return func() { b.ReportMetric(float64(ProcessCPU(b)-start)/float64(b.N), "cpu-ns/op") }
}

// ProcessCPU is the user and system CPU time of this process so far.
func ProcessCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
