//go:build loadtest

package loadtest

import "runtime"

// allocated is what this process has allocated so far: objects and bytes.
// Unlike CPU time it does not depend on what else the machine runs, so a
// change to the poller shows in it even on a busy machine.
func allocated() (objects, bytes uint64) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Mallocs, m.TotalAlloc
}
