package ui

// Axis ticks and value labels of lineChart: plain arithmetic on times and
// numbers, kept apart from the widget so they are tested without a canvas.

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// timeSteps are the tick spacings a time axis picks from.
var timeSteps = []time.Duration{
	10 * time.Second, 15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// timeTicks returns the round times between from and to, at most n of
// them, spaced by the smallest step of timeSteps that keeps within n: a
// 60-minute span gets 10-minute ticks (…10:10, 10:20…), not a label at each
// sample.
func timeTicks(from, to time.Time, n int) []time.Time {
	span := to.Sub(from)
	if span <= 0 || n <= 0 {
		return nil
	}
	step := time.Duration(0)
	for _, s := range timeSteps {
		if int(span/s) < n {
			step = s
			break
		}
	}
	if step == 0 { // longer than days: whole days, still at most n ticks
		day := 24 * time.Hour
		step = (span/time.Duration(n)/day + 1) * day
	}
	// Round in local time, so an hourly tick is on the hour where the NOC is.
	_, off := from.Zone()
	offset := time.Duration(off) * time.Second
	first := from.Add(offset).Truncate(step).Add(-offset)
	if first.Before(from) {
		first = first.Add(step)
	}
	var out []time.Time
	for t := first; !t.After(to); t = t.Add(step) {
		out = append(out, t)
	}
	return out
}

// tickLabel writes a time tick as hours and minutes, with seconds when the
// ticks are less than a minute apart.
func tickLabel(t time.Time, ticks []time.Time) string {
	if len(ticks) > 1 && ticks[1].Sub(ticks[0]) < time.Minute {
		return t.Local().Format("15:04:05")
	}
	return t.Local().Format("15:04")
}

// valueTicks returns evenly spaced round values from 0 to at least peak,
// about n steps: 0, 100, 200, 300 rather than 0, 97.5, 195. Counts
// (integers) never step by less than 1.
func valueTicks(peak float64, n int, integer bool) []float64 {
	if peak <= 0 || math.IsNaN(peak) {
		peak = 1
	}
	raw := peak / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if integer {
		step = max(math.Ceil(step), 1)
	}
	var out []float64
	for i := 0; ; i++ {
		v := float64(i) * step
		out = append(out, v)
		if v >= peak {
			return out
		}
	}
}

// formatValue shortens a number for an axis: 1234 → 1.2k, 2500000 → 2.5M.
func formatValue(v float64) string {
	switch {
	case v >= 1e6:
		return trimZero(strconv.FormatFloat(v/1e6, 'f', 1, 64)) + "M"
	case v >= 1e4:
		return strconv.FormatFloat(v/1e3, 'f', 0, 64) + "k"
	case v >= 1e3:
		return trimZero(strconv.FormatFloat(v/1e3, 'f', 1, 64)) + "k"
	case v != math.Trunc(v):
		return trimZero(strconv.FormatFloat(v, 'f', 1, 64))
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// trimZero drops a fraction of zeros: "2.0" → "2", "2.50" → "2.5".
func trimZero(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}
