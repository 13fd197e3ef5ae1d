package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo is a scratch repository to run version.sh in.
type gitRepo struct {
	t      *testing.T
	dir    string
	script string
}

func newGitRepo(t *testing.T) *gitRepo {
	need(t, "git", "git")
	script, err := filepath.Abs(filepath.Join(repoRoot, "packaging", "version.sh"))
	if err != nil {
		t.Fatal(err)
	}
	r := &gitRepo{t: t, dir: t.TempDir(), script: script}
	r.git("", "init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) cmd(env []string, name string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), append([]string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "VERSION="}, env...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// git runs git with the commit date date (RFC 3339, or "" for now).
func (r *gitRepo) git(date string, args ...string) string {
	r.t.Helper()
	var env []string
	if date != "" {
		env = []string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}
	}
	return r.cmd(env, "git", args...)
}

// commit commits a change to a file on date and returns the short hash.
func (r *gitRepo) commit(date string) string {
	r.t.Helper()
	f := filepath.Join(r.dir, "file")
	b, _ := os.ReadFile(f)
	if err := os.WriteFile(f, append(b, 'x'), 0o644); err != nil {
		r.t.Fatal(err)
	}
	r.git(date, "add", "file")
	r.git(date, "commit", "-q", "-m", "change")
	return r.git("", "rev-parse", "--short=7", "HEAD")
}

func (r *gitRepo) version(what string) string { return r.cmd(nil, r.script, what) }

func TestVersionFromGit(t *testing.T) {
	need(t, "dpkg", "dpkg")
	r := newGitRepo(t)
	type step struct {
		name, semver, deb string
	}
	var steps []step
	check := func(name, wantSemver, wantDeb string) {
		t.Helper()
		if got := r.version("semver"); got != wantSemver {
			t.Errorf("%s: got semver %q, want %q", name, got, wantSemver)
		}
		if got := r.version("deb"); got != wantDeb {
			t.Errorf("%s: got deb %q, want %q", name, got, wantDeb)
		}
		steps = append(steps, step{name, wantSemver, wantDeb})
	}

	a := r.commit("2026-12-01T10:00:00Z")
	check("NoTag", "0.1.0+git20261201.1."+a, "0.1.0+git20261201.1."+a)
	b := r.commit("2026-12-02T23:30:00-05:00") // 04:30 UTC on the 3rd
	check("NoTagLater", "0.1.0+git20261203.2."+b, "0.1.0+git20261203.2."+b)
	r.git("", "tag", "-a", "v0.2.0-rc.1", "-m", "rc")
	check("PreRelease", "0.2.0-rc.1", "0.2.0~rc.1")
	c := r.commit("2026-12-04T10:00:00Z")
	check("AfterPreRelease", "0.2.0-rc.1+git20261204.1."+c, "0.2.0~rc.1+git20261204.1."+c)
	r.git("", "tag", "-a", "v0.2.0", "-m", "release")
	check("Release", "0.2.0", "0.2.0")
	d := r.commit("2026-12-07T09:00:00Z")
	check("AfterRelease", "0.2.0+git20261207.1."+d, "0.2.0+git20261207.1."+d)
	e := r.commit("2026-12-07T18:00:00Z")
	check("SameDayLater", "0.2.0+git20261207.2."+e, "0.2.0+git20261207.2."+e)
	if got := r.version("commit"); got != e {
		t.Errorf("commit: got %q, want %q", got, e)
	}
	if err := os.WriteFile(filepath.Join(r.dir, "file"), []byte("uncommitted"), 0o644); err != nil {
		t.Fatal(err)
	}
	check("Dirty", "0.2.0+git20261207.2."+e+".dirty", "0.2.0+git20261207.2."+e+".dirty")
	if got := r.version("commit"); got != e+".dirty" {
		t.Errorf("dirty commit: got %q, want %q", got, e+".dirty")
	}
	r.git("", "checkout", "-q", "--", "file")
	r.git("", "tag", "-a", "v0.2.1", "-m", "release")
	check("NextRelease", "0.2.1", "0.2.1")

	// Each version must sort above the one before, for dpkg as for apt.
	for i := 1; i < len(steps); i++ {
		lo, hi := steps[i-1], steps[i]
		if err := exec.Command("dpkg", "--compare-versions", lo.deb, "lt", hi.deb).Run(); err != nil {
			t.Errorf("dpkg sorts %s (%s) not below %s (%s)", lo.deb, lo.name, hi.deb, hi.name)
		}
	}
}

func TestVersionWithoutGit(t *testing.T) {
	script, err := filepath.Abs(filepath.Join(repoRoot, "packaging", "version.sh"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, version, what, want string
	}{
		{name: "Tarball", what: "semver", want: "0.1.0+unknown"},
		{name: "TarballCommit", what: "commit", want: "unknown"},
		{name: "Given", version: "v1.2.3", what: "semver", want: "1.2.3"},
		{name: "GivenPreRelease", version: "v1.3.0-rc.2", what: "deb", want: "1.3.0~rc.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(script, tt.what)
			cmd.Dir = t.TempDir() // no repository here nor above
			cmd.Env = append(os.Environ(), "VERSION="+tt.version, "GIT_CEILING_DIRECTORIES="+filepath.Dir(cmd.Dir))
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v", tt.what, err)
			}
			if got := strings.TrimSpace(string(out)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
