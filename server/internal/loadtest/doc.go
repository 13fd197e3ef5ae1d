// Package loadtest is the load harness of `make bench`: it starts a real
// Canale server on loopback over a seeded PostgreSQL database and drives it
// with wrk, printing every figure as a ratio to the server's no-op endpoint
// (/healthz) measured in the same run, because absolute rates drift on a
// noisy machine while ratios hold.
//
// It runs as a test behind the loadtest build tag, so `go test ./...` never
// starts it:
//
//	go test -tags loadtest -run TestLoad -v -count=1 ./server/internal/loadtest
//
// Summary lines start with "load:". Sizes and durations scale down with
// CANALE_LOAD_SUBSCRIBERS, CANALE_LOAD_STREAMERS, CANALE_LOAD_STREAMS,
// CANALE_LOAD_POLL_SECONDS and CANALE_LOAD_WRK_SECONDS.
//
// wrk has no rate flag (wrk2 is not packaged), so the p99 "at half of peak
// load" is measured by openLoop, a small Go generator that sends requests on
// a fixed schedule at half the rate wrk reached and times each one from when
// it was due, so a stalled server cannot hide its queueing delay.
package loadtest
