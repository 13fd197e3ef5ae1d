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

// TestPairing checks that each benchmark is measured against the closest
// baseline: a sibling Noop, then a name pair, then the package baseline.
func TestPairing(t *testing.T) {
	const in = `pkg: canale/server/internal/playauth
BenchmarkPlayAuth/Authorize-2   	  100000	      2000 ns/op	   1.5 load-s
BenchmarkPlayAuth/Noop-2        	 1000000	      1000 ns/op
BenchmarkOther-2                	 1000000	      4000 ns/op
BenchmarkNoop-2                 	 1000000	       500 ns/op
pkg: canale/server/internal/subscriberapi
BenchmarkM3U5000-2                  	    1000	    300000 ns/op
BenchmarkServeSameBytesM3U5000-2    	    1000	    100000 ns/op
pkg: canale/server/internal/playlist
BenchmarkWriteM3U5000-2     	    1000	    200000 ns/op
BenchmarkServeSameBytes-2   	    1000	     50000 ns/op
pkg: canale/server/internal/store
BenchmarkSubscriberByID-2             	   10000	     50000 ns/op
BenchmarkSubscriberListPage/login-2   	    1000	    150000 ns/op
BenchmarkSubscriberSearchName-2       	    1000	    100000 ns/op
pkg: canale/server/internal/configext
BenchmarkConfigExternal-2   	    1000	    100000 ns/op
`
	byPkg, order := parse(strings.NewReader(in))
	var out bytes.Buffer
	for _, p := range order {
		report(&out, p, byPkg[p])
	}
	lines := map[string]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines[f[0]] = l
		}
	}
	tests := []struct {
		name, want string
	}{
		{"PlayAuth/Authorize", "time ratio    2.00   throughput ratio  0.50   vs PlayAuth/Noop"},
		{"PlayAuth/Noop", "baseline"},
		{"Other", "time ratio    8.00   throughput ratio  0.12   vs Noop"},
		{"Noop", "baseline"},
		{"M3U5000", "time ratio    3.00   throughput ratio  0.33   vs ServeSameBytesM3U5000"},
		{"ServeSameBytesM3U5000", "baseline"},
		{"WriteM3U5000", "time ratio    4.00   throughput ratio  0.25   vs ServeSameBytes"},
		{"SubscriberListPage/login", "time ratio    3.00   throughput ratio  0.33   vs SubscriberByID"},
		{"SubscriberSearchName", "time ratio    2.00   throughput ratio  0.50   vs SubscriberByID"},
		{"SubscriberByID", "baseline"},
		{"ConfigExternal", "(no baseline in this package)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := lines[tc.name]
			if !ok {
				t.Fatalf("no line for %s in:\n%s", tc.name, out.String())
			}
			if !strings.HasSuffix(strings.TrimSpace(strings.Split(got, "   [")[0]), tc.want) {
				t.Errorf("got %q, want it to end with %q", got, tc.want)
			}
		})
	}
}
