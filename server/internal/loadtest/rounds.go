package loadtest

import (
	"errors"
	"slices"
	"time"
)

// round is one measured run with its baseline: the mean of the no-op runs
// just before and just after it.
type round struct {
	Noop, Measured wrkResult
}

// Ratio is the measured throughput as a share of the no-op's.
func (r round) Ratio() float64 { return r.Measured.RequestsPerSec / r.Noop.RequestsPerSec }

// pairRounds takes runs that alternate no-op and measured, starting and
// ending with a no-op (n m n m … n), and returns one round per measured
// run. Averaging the neighbours means drift during the run (a noisy
// neighbour, a warming cache) favours neither side.
func pairRounds(runs []wrkResult) ([]round, error) {
	if len(runs) < 3 || len(runs)%2 == 0 {
		return nil, errors.New("want n m n … n: an odd number of runs, at least three")
	}
	var out []round
	for i := 1; i < len(runs); i += 2 {
		a, b := runs[i-1], runs[i+1]
		noop := wrkResult{RequestsPerSec: (a.RequestsPerSec + b.RequestsPerSec) / 2, P50: (a.P50 + b.P50) / 2, P99: (a.P99 + b.P99) / 2}
		out = append(out, round{Noop: noop, Measured: runs[i]})
	}
	return out, nil
}

// medianRound is the round with the median ratio (the lower of the two
// middle ones for an even count): one bad or lucky run moves it little.
func medianRound(rs []round) round {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b round) int {
		switch {
		case a.Ratio() < b.Ratio():
			return -1
		case a.Ratio() > b.Ratio():
			return 1
		}
		return 0
	})
	return s[(len(s)-1)/2]
}

// medianDuration is the median (the lower middle for an even count).
func medianDuration(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}
