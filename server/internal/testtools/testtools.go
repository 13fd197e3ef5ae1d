// Package testtools finds the programs the real-part test harnesses run
// (testedge, testpatroni, testkodi, the failover suite) and stops a test
// that lacks one the same way everywhere: skipped with the reason and the
// install command, failed under CI=true, where the environment promises them.
// It also runs those programs (Proc), finds them free ports, and holds
// what benchmarks measure beside wall time (ReportCPU).
package testtools

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Look searches PATH and then the sbin directories, which a
// non-root PATH often lacks although nginx and haproxy live there.
func Look(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		if p, err2 := exec.LookPath(filepath.Join(dir, name)); err2 == nil {
			return p, nil
		}
	}
	return "", err
}

// Missing stops tb because what is missing: a failure under CI=true, a
// skip elsewhere, either way naming installHint.
func Missing(tb testing.TB, what, installHint string) {
	tb.Helper()
	msg := what + "; install with: " + installHint
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}
