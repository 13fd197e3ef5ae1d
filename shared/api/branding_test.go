package api

import (
	"math"
	"testing"
)

func TestContrastWithWhite(t *testing.T) {
	for hex, want := range map[string]float64{"#000000": 21, "#ffffff": 1, "#0b57d0": 6.39, "#767676": 4.54, "#FFCC00": 1.51, "red": 0} {
		if got := ContrastWithWhite(hex); math.Abs(got-want) > 0.05 {
			t.Errorf("ContrastWithWhite(%s) = %.2f, want %.2f", hex, got, want)
		}
	}
}
