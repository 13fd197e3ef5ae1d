package pace

import (
	"context"
	"testing"
	"time"
)

func TestPacerRest(t *testing.T) {
	tests := []struct {
		name  string
		share float64
		busy  time.Duration
		want  time.Duration
	}{
		{"Quarter", 0.25, 2 * time.Millisecond, 6 * time.Millisecond},
		{"Half", 0.5, 3 * time.Millisecond, 3 * time.Millisecond},
		{"Whole", 1, 2 * time.Millisecond, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.share).rest(tt.busy); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPacerStopsWithContext checks that a job resting in a pacer ends
// when its context does, so a shutdown never waits out a rest.
func TestPacerStopsWithContext(t *testing.T) {
	p := New(0.0001) // any slice of work rests for ages
	p.began = time.Now().Add(-time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Check(ctx); err != context.Canceled {
		t.Fatalf("got %v, want %v", err, context.Canceled)
	}
}

// TestPacerRests checks that a slice of work is followed by a real rest
// of the length rest gives: a sleep is never shorter, however loaded the
// machine.
func TestPacerRests(t *testing.T) {
	p := New(0.5)
	p.began = time.Now().Add(-10 * time.Millisecond)
	start := time.Now()
	if err := p.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 10*time.Millisecond {
		t.Errorf("got a rest of %v after 10ms of work at half a CPU, want at least 10ms", took)
	}
}

// TestPacerStepLooksEvery checks that Step looks at the clock (and may
// rest) only every few units, so a row costs a counter, not a clock read.
func TestPacerStepLooksEvery(t *testing.T) {
	p := New(0.5)
	began := time.Now().Add(-time.Microsecond) // less than a slice: a look never rests
	p.began = began
	for range every - 1 {
		_ = p.Step(context.Background())
	}
	if p.n != every-1 || !p.began.Equal(began) {
		t.Fatalf("after %d steps: got n %d, began moved %v; want no look yet", every-1, p.n, !p.began.Equal(began))
	}
	p.began = began.Add(-time.Millisecond * 3) // a slice used up: the next look rests and starts a new one
	_ = p.Step(context.Background())
	if p.began.Before(began) {
		t.Errorf("after %d steps: the pacer did not look at the clock and rest", every)
	}
}
