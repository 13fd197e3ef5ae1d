//go:build race

package playauth

// raceEnabled: sync.Pool drops items at random under the race detector,
// so allocation counts hold only without it.
const raceEnabled = true
