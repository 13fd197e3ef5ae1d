// Package buildinfo names the build a binary came from, so that `canale
// version`, the server's /healthz and the desktop's About tell an operator
// exactly what runs. The Makefile sets version and commit with -ldflags -X
// from packaging/version.sh; a plain `go build` leaves them empty and the Go
// toolchain's VCS stamp fills in the commit.
package buildinfo

import (
	"runtime/debug"
)

// Info is a binary's version (SemVer, from the git tags) and commit.
type Info struct {
	Version string
	Commit  string
}

// New returns the build info for the version and commit set at link time.
// An empty version reads "dev"; an empty commit is taken from the VCS stamp
// (with ".dirty" when the tree had changes) or reads "unknown".
func New(version, commit string) Info {
	if version == "" {
		version = "dev"
	}
	if commit == "" {
		commit = vcsCommit()
	}
	return Info{Version: version, Commit: commit}
}

// String reads "0.2.0 (commit abc1234)".
func (i Info) String() string {
	return i.Version + " (commit " + i.Commit + ")"
}

func vcsCommit() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ".dirty"
			}
		}
	}
	if rev == "" {
		return "unknown"
	}
	return rev[:min(7, len(rev))] + dirty
}
