package loadtest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	wrkRate    = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)(?:\.0+)?%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	wrkNon2xx  = regexp.MustCompile(`(?m)Non-2xx or 3xx responses:\s+(\d+)`)
	wrkSockErr = regexp.MustCompile(`(?m)^\s+Socket errors:.*$`)
)

// wrkResult is what a wrk run reports.
type wrkResult struct {
	RequestsPerSec float64
	P50, P99       time.Duration
	Non2xx3xx      int // wrk's "Non-2xx or 3xx responses"
	Errors         string
}

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
