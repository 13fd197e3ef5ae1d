package packaging

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// repoRoot is the top of the work tree; go test runs in packaging/.
const repoRoot = ".."

// workDir holds what the tests build, shared between them.
var workDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "canale-pkgtest-")
	if err != nil {
		panic(err)
	}
	// The canale account runs binaries from here in the lifecycle test.
	if err := os.Chmod(dir, 0o755); err != nil {
		panic(err)
	}
	workDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// need skips the test when tool is missing, or fails it under CI=true,
// where a missing tool must not pass silently.
func need(t *testing.T, tool, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err == nil {
		return p
	}
	unavailable(t, tool+" is missing; install with: apt-get install "+pkg+" (make deps)")
	return ""
}

func unavailable(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// run runs name in the top of the work tree with extra environment and
// returns its standard output; it fails the test with the output on error.
func run(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String()
}

// built is one build output, made once for all the tests that need it.
type built struct {
	once sync.Once
	path string
	err  string
}

func (b *built) get(t *testing.T, make func(t *testing.T) string) string {
	t.Helper()
	b.once.Do(func() {
		// Set first: a t.Fatal or t.Skip inside make ends the goroutine here.
		b.err = "the build failed or was skipped in " + t.Name()
		b.path = make(t)
		b.err = ""
	})
	if b.err != "" {
		unavailable(t, b.err)
	}
	return b.path
}

var (
	serverBin, desktopBin                  built
	serverDebOld, serverDebNew, desktopDeb built
)

// versions reads this tree's version as the Makefile does.
func versions(t *testing.T) (semver, deb, commit string) {
	t.Helper()
	return strings.TrimSpace(run(t, nil, "packaging/version.sh", "semver")),
		strings.TrimSpace(run(t, nil, "packaging/version.sh", "deb")),
		strings.TrimSpace(run(t, nil, "packaging/version.sh", "commit"))
}

// goBuild builds pkg into the work directory with the Makefile's flags
// (-trimpath, the version in -ldflags after ldPrefix), so the Go build
// cache that `make` filled serves it.
func goBuild(t *testing.T, env []string, out, pkg, ldPrefix string, flags ...string) string {
	t.Helper()
	semver, _, commit := versions(t)
	ldflags := strings.TrimSpace(ldPrefix + " -s -w -X main.version=" + semver + " -X main.commit=" + commit)
	path := filepath.Join(workDir, out)
	args := append(append([]string{"build", "-trimpath"}, flags...), "-ldflags", ldflags, "-o", path, pkg)
	run(t, env, "go", args...)
	return path
}

func buildServer(t *testing.T) string {
	return serverBin.get(t, func(t *testing.T) string {
		return goBuild(t, []string{"CGO_ENABLED=0"}, "canale", "./server", "", "-buildmode=pie")
	})
}

func buildDesktop(t *testing.T) string {
	return desktopBin.get(t, func(t *testing.T) string {
		need(t, "gcc", "gcc")
		return goBuild(t, []string{"CGO_ENABLED=1"}, "canale-admin", "./desktop", "", "-buildmode=pie", "-tags", "migrated_fynedo")
	})
}

// oldDebVersion is the "previous release" the upgrade starts from: the same
// binary under a lower version, so the test needs no second source tree.
const oldDebVersion = "0.0.1"

func buildServerDeb(t *testing.T, b *built, version string) string {
	return b.get(t, func(t *testing.T) string {
		need(t, "dpkg-deb", "dpkg")
		bin := buildServer(t)
		out := filepath.Join(workDir, "dist-"+version)
		// gzip: xz takes seconds for the same check.
		return strings.TrimSpace(run(t, []string{"DEB_COMPRESS=gzip"}, "packaging/build-deb.sh", bin, version, out))
	})
}

func buildDesktopDeb(t *testing.T) string {
	return desktopDeb.get(t, func(t *testing.T) string {
		need(t, "dpkg-shlibdeps", "dpkg-dev")
		bin := buildDesktop(t)
		_, deb, _ := versions(t)
		return strings.TrimSpace(run(t, []string{"DEB_COMPRESS=gzip"}, "packaging/build-desktop-deb.sh", bin, deb, filepath.Join(workDir, "dist")))
	})
}
