//go:build !race

package failover_test

const raceSlowdown = 1
