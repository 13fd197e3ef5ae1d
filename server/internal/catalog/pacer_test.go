package catalog

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
			if got := newPacer(tt.share).rest(tt.busy); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPacerStopsWithContext checks that a job resting in a pacer ends
// when its context does, so Run's shutdown never waits out a rest.
func TestPacerStopsWithContext(t *testing.T) {
	p := newPacer(0.0001) // any slice of work rests for ages
	p.began = time.Now().Add(-time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.check(ctx); err != context.Canceled {
		t.Fatalf("got %v, want %v", err, context.Canceled)
	}
}
