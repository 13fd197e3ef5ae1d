package loadtest

import (
	"testing"
	"time"
)

func TestPairRounds(t *testing.T) {
	ms := time.Millisecond
	runs := []wrkResult{
		{RequestsPerSec: 100, P99: 2 * ms}, {RequestsPerSec: 90},
		{RequestsPerSec: 120, P99: 4 * ms}, {RequestsPerSec: 66},
		{RequestsPerSec: 100, P99: 2 * ms}, {RequestsPerSec: 99},
		{RequestsPerSec: 120},
	}
	rs, err := pairRounds(runs)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{90.0 / 110, 66.0 / 110, 99.0 / 110}
	if len(rs) != len(want) {
		t.Fatalf("got %d rounds, want %d", len(rs), len(want))
	}
	for i, r := range rs {
		if r.Ratio() != want[i] {
			t.Errorf("round %d: got ratio %v, want %v", i, r.Ratio(), want[i])
		}
	}
	if got := rs[0].Noop.P99; got != 3*ms {
		t.Errorf("round 0 no-op p99: got %v, want the mean of its neighbours, 3ms", got)
	}
	if got := medianRound(rs).Measured.RequestsPerSec; got != 90 {
		t.Errorf("median round: got the one at %v req/s, want 90", got)
	}
	for _, bad := range [][]wrkResult{nil, runs[:2], runs[:4]} {
		if _, err := pairRounds(bad); err == nil {
			t.Errorf("%d runs: got no error, want one (n m … n needs an odd count >= 3)", len(bad))
		}
	}
}

func TestMedianDuration(t *testing.T) {
	tests := []struct {
		in   []time.Duration
		want time.Duration
	}{
		{in: []time.Duration{3}, want: 3},
		{in: []time.Duration{9, 1, 5}, want: 5},
		{in: []time.Duration{4, 1, 3, 2}, want: 2},
	}
	for _, tt := range tests {
		if got := medianDuration(tt.in); got != tt.want {
			t.Errorf("medianDuration(%v): got %v, want %v", tt.in, got, tt.want)
		}
	}
}
