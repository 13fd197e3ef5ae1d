package ui

import (
	"math"
	"strconv"
)

// bitrateUnits are the steps formatBitrate climbs, each 1000 times the last:
// network rates are decimal, as Flussonic and every NIC report them.
var bitrateUnits = []string{"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"}

// formatBitrate writes a rate in bits per second in the largest unit that
// keeps the number at least 1, with three significant digits at most, so a
// column of rates reads "298 Mbit/s", "12.5 Mbit/s", "1.25 Gbit/s" and never
// "298k kbit/s".
func formatBitrate(bps float64) string {
	if bps <= 0 || math.IsNaN(bps) {
		return "0 bit/s"
	}
	i := 0
	for i < len(bitrateUnits)-1 && roundSig(bps, 3) >= 1000 {
		bps /= 1000
		i++
	}
	return formatSig(bps, 3) + " " + bitrateUnits[i]
}

// formatSig writes v with at most sig significant digits and no trailing
// zeros: 298 → "298", 12.46 → "12.5", 1.2 → "1.2", 0.05 → "0.05".
func formatSig(v float64, sig int) string {
	if v == 0 {
		return "0"
	}
	digits := int(math.Floor(math.Log10(math.Abs(roundSig(v, sig))))) + 1
	decimals := max(sig-digits, 0)
	return trimZero(strconv.FormatFloat(roundSig(v, sig), 'f', decimals, 64))
}

// roundSig rounds v to sig significant digits.
func roundSig(v float64, sig int) float64 {
	if v == 0 {
		return 0
	}
	p := math.Pow(10, float64(sig)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}
