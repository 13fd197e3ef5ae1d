package loadtest

import (
	"testing"
	"time"
)

const wrkSample = `Running 3s test @ http://127.0.0.1:41235
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.51ms    5.02ms  51.85ms   88.93%
    Req/Sec     4.80k   603.19     5.90k    71.67%
  Latency Distribution
     50%    1.72ms
     75%    3.16ms
     90%    8.60ms
     99%   51.85ms
  28655 requests in 3.00s, 3.21MB read
  Non-2xx or 3xx responses: 5983
Requests/sec:   9539.42
Transfer/sec:      1.07MB
`

func TestParseWrk(t *testing.T) {
	got, err := parseWrk(wrkSample)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{RequestsPerSec: 9539.42, P50: 1720 * time.Microsecond, P99: 51850 * time.Microsecond, Non2xx3xx: 5983}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := parseWrk("Running 3s test\n"); err == nil {
		t.Error("output without figures: got no error, want one")
	}
}
