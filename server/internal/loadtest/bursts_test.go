//go:build loadtest

package loadtest

import (
	"slices"
	"testing"
	"time"
)

func TestSlowBursts(t *testing.T) {
	ms := time.Millisecond
	// One job every 10 ms: jobs 0-9 fall in the first tenth, 50-59 in the sixth.
	took := make([]time.Duration, 100)
	for i := range took {
		took[i] = ms
	}
	took[1], took[2], took[3], took[55] = 3*ms, 3*ms, 9*ms, 5*ms
	took[4] = slowAfter // not slower than the target
	slow, bursts := slowBursts(took, 10*ms)
	if want := []string{"0.0s+3", "0.5s+1"}; slow != 4 || !slices.Equal(bursts, want) {
		t.Errorf("got %d slow in %v, want 4 in %v", slow, bursts, want)
	}
}
