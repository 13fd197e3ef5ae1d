package pgsql

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// Tool is a PostgreSQL client program (pg_dump, pg_restore, psql) of a known
// major version.
type Tool struct {
	Path  string
	Major int
}

// FindTool returns the oldest installed copy of the client program name whose
// major version is at least minMajor. pg_dump refuses a server newer than
// itself, and pg_restore's SQL may use settings an older server lacks, so
// the same version as the server is best and the next newer one is second
// best. Debian installs one copy per version in /usr/lib/postgresql/N/bin;
// the one on PATH is asked for its version.
func FindTool(ctx context.Context, name string, minMajor int) (Tool, error) {
	var found []Tool
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for _, d := range dirs {
		if p := filepath.Join(d, name); isExecutable(p) {
			found = append(found, Tool{Path: p, Major: majorOf(d)})
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		if major, err := toolMajor(ctx, p); err == nil {
			found = append(found, Tool{Path: p, Major: major})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Major < found[j].Major })
	for _, t := range found {
		if t.Major >= minMajor {
			return t, nil
		}
	}
	return Tool{}, fmt.Errorf("%s %d or newer not found (the database server is version %d): "+
		"install it (Debian: apt-get install postgresql-client-%d)", name, minMajor, minMajor, minMajor)
}

var versionLine = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

// toolMajor runs "path --version" ("pg_dump (PostgreSQL) 15.18 (Debian…)").
func toolMajor(ctx context.Context, path string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return 0, err
	}
	m := versionLine.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("%s --version: unexpected answer %q", path, out)
	}
	return strconv.Atoi(string(m[1]))
}
