//go:build race

package failover_test

// raceSlowdown widens the time bounds under the race detector, which slows
// every instance several times over on a shared machine; the bounds of the
// issue hold for real builds, which make bench runs without -race.
const raceSlowdown = 2
