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
// CANALE_LOAD_POLL_SECONDS, CANALE_LOAD_WRK_SECONDS and CANALE_LOAD_ROUNDS.
//
// Every figure is taken in rounds (three by default) and summarised by the
// median, each round printed: on a shared two-core machine one ten-second
// run in five lands on a noisy stretch, and a single run then says more
// about the neighbours than about the endpoint.
//
// Both sides of a ratio are driven the same way: the no-op runs send the
// same query strings to /healthz through the same wrk Lua script, because
// on a two-core machine wrk's own per-request work (the script) is taken
// from the server and would otherwise count against the endpoint measured.
//
// wrk has no rate flag (wrk2 is not packaged), so the p99 "at half of peak
// load" is measured by an open-loop generator: this test binary re-run as a
// separate process (so its goroutines and collector do not share a runtime
// with the server's million-subscriber heap), sending pre-built requests
// over keep-alive connections on a fixed schedule at half the rate wrk
// reached, and timing each from when it was released, so a stalled server
// cannot hide its queueing delay. Its rounds alternate with the no-op
// endpoint at the same rate, whose p99 is the floor this machine's
// scheduler and loopback put under any endpoint of the server, and with a
// bare net/http server (this binary re-run once more, answering 200 to
// everything): the floor under any Go HTTP server here. On a two-core
// machine that also runs the generator, that floor is itself near 2 ms,
// because three busy threads time-share two CPUs. Each round also prints
// how many answers were slower than 2 ms and the tenths of a second that
// hold the most: a stall of the server (a rebuild, a flush) shows as a few
// full tenths, scheduling noise as many thin ones. Beside them it prints
// when the server's garbage collections ended, in the same seconds: most
// of the full tenths sit at one, and what their marking cost in CPU.
//
// After the rounds it runs one more with the server's collector held off:
// that round's p99 is the endpoint's own tail on this machine, and the gap
// to the median is what collections cost it. On the two-core machine this
// was written on that is about 1 ms without collections against 1.5-3.5
// ms with them: after each cycle of the million-subscriber heap the
// runtime sweeps the ~400 MB of request garbage since the last one on a
// processor it sees idle, which here is the CPU the generator needs.
// Lower GOGC trades that for more frequent marking, no better.
//
// CANALE_LOAD_PROFILE_DIR, when set, receives a CPU profile of the last run
// of each side, under full load (TestLoad-PlayAuth-noop.pprof,
// TestLoad-PlayAuth-measured.pprof...) and at half of peak
// (TestLoad-PlayAuth-half-noop.pprof, TestLoad-PlayAuth-half-measured.pprof).
// CANALE_LOAD_TRACE_DIR, when set, receives an execution trace
// (runtime/trace) of every round at half of peak, numbered in order: where
// a profile averages, a trace shows what each goroutine waited on in the
// tenth of a second a stall happened (go tool trace, or golang.org/x/exp/trace).
package loadtest
