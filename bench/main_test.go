package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `goos: linux
pkg: canale/server/internal/playauth
BenchmarkNoop-2         	 1000000	      1000 ns/op	     100 B/op	       2 allocs/op
BenchmarkAuthorize-2    	  500000	      1250 ns/op	     300 B/op	       5 allocs/op	   812.5 heap-MB
pkg: canale/server/internal/fleet
BenchmarkPollCycle-2    	      20	  30500000 ns/op	        56.40 cpu-ms/cycle
`

func TestReportRatios(t *testing.T) {
	byPkg, order := parse(strings.NewReader(sample))
	if len(order) != 2 {
		t.Fatalf("packages: got %v, want 2", order)
	}
	var out bytes.Buffer
	for _, p := range order {
		report(&out, p, byPkg[p])
	}
	got := out.String()
	for _, want := range []string{"time ratio    1.25", "throughput ratio  0.80", "812.5 heap-MB",
		"(no baseline in this package)", "56.40 cpu-ms/cycle", "baseline"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}
