//go:build !race

package playauth

const raceEnabled = false
