package packaging

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"canale/shared/client"
)

const (
	dataDir = "/var/lib/canale"
	// testMarker marks a data directory this test made, so a later run may
	// clean up after one that was killed half-way; any other is an
	// operator's and the test refuses to touch it.
	testMarker = dataDir + "/.canale-packaging-test"
)

// machine is the real system the lifecycle tests install on.
type machine struct {
	t *testing.T
	// fakeSystemd, when set, runs dpkg in a mount namespace where
	// /run/systemd/system exists and systemctl and deb-systemd-invoke are
	// stand-ins that log to this file: the maintainer scripts then take
	// their systemd branch, and the log tells what they asked of it.
	fakeSystemd string
}

// newMachine checks that the test may install packages here, clears what
// an interrupted run of it left, and purges its install at cleanup.
func newMachine(t *testing.T) *machine {
	t.Helper()
	if os.Geteuid() != 0 {
		unavailable(t, "installing packages needs root (make test runs as root in CI)")
	}
	need(t, "dpkg", "dpkg")
	need(t, "adduser", "adduser")
	m := &machine{t: t}
	_, markerErr := os.Stat(testMarker)
	_, dataErr := os.Stat(dataDir)
	if m.installed() != "" || dataErr == nil {
		if markerErr != nil {
			t.Fatalf("this machine has an install of canale (package or %s) that this test did not make; "+
				"it installs and purges canale, so run it where there is none", dataDir)
		}
		m.clean()
	}
	_, err := user.Lookup("canale")
	userExisted := err == nil && markerErr != nil
	t.Cleanup(func() {
		m.clean()
		if !userExisted {
			if out, err := exec.Command("deluser", "--system", "--quiet", "canale").CombinedOutput(); err != nil {
				t.Logf("deluser canale: %v: %s", err, out)
			}
		}
	})
	return m
}

func (m *machine) clean() {
	if m.installed() != "" {
		m.dpkg("--purge", "canale")
	}
	os.RemoveAll(dataDir)
}

// installed returns dpkg's status of the canale package, "" if unknown to it.
func (m *machine) installed() string {
	out, err := exec.Command("dpkg-query", "-W", "-f=${Status} ${Version}", "canale").Output()
	if err != nil || strings.Contains(string(out), "not-installed") {
		return ""
	}
	return string(out)
}

// dpkg runs dpkg, waiting while another dpkg or apt holds its lock.
func (m *machine) dpkg(args ...string) string {
	m.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		cmd := exec.Command("dpkg", args...)
		if m.fakeSystemd != "" {
			cmd = m.inFakeSystemd(args)
		}
		cmd.Dir = "/"
		out, err := cmd.CombinedOutput()
		if err == nil {
			return string(out)
		}
		if !bytes.Contains(out, []byte("lock")) || time.Now().After(deadline) {
			m.t.Fatalf("dpkg %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		time.Sleep(2 * time.Second)
	}
}

func (m *machine) inFakeSystemd(args []string) *exec.Cmd {
	bin := filepath.Join(filepath.Dir(m.fakeSystemd), "bin")
	for _, tool := range []string{"systemctl", "deb-systemd-invoke"} {
		stub := "#!/bin/sh\necho \"" + tool + " $*\" >>" + m.fakeSystemd + "\n"
		if err := os.MkdirAll(bin, 0o755); err != nil {
			m.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bin, tool), []byte(stub), 0o755); err != nil {
			m.t.Fatal(err)
		}
	}
	// A private tmpfs on /run hides nothing dpkg needs and keeps the
	// machine's own /run untouched.
	script := `mount -t tmpfs canale-test /run && mkdir -p /run/systemd/system && exec dpkg "$@"`
	cmd := exec.Command("unshare", append([]string{"--mount", "--propagation", "private", "sh", "-c", script, "sh"}, args...)...)
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	return cmd
}

// serviceActions returns the start, stop and restart requests the
// maintainer scripts made since the last call, and forgets them. (systemctl
// calls are left out: deb-systemd-helper makes its own daemon-reloads.)
func (m *machine) serviceActions() []string {
	m.t.Helper()
	b, err := os.ReadFile(m.fakeSystemd)
	if err != nil && !os.IsNotExist(err) {
		m.t.Fatal(err)
	}
	os.Remove(m.fakeSystemd)
	var actions []string
	for _, line := range strings.Split(string(b), "\n") {
		if a, ok := strings.CutPrefix(line, "deb-systemd-invoke "); ok {
			actions = append(actions, a)
		}
	}
	return actions
}

func (m *machine) wantMode(path string, mode os.FileMode, owner, group string) {
	m.t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		m.t.Errorf("%s: %v", path, err)
		return
	}
	st := fi.Sys().(*syscall.Stat_t)
	u, _ := user.LookupId(strconv.Itoa(int(st.Uid)))
	g, _ := user.LookupGroupId(strconv.Itoa(int(st.Gid)))
	if fi.Mode().Perm() != mode || u == nil || u.Username != owner || g == nil || g.Name != group {
		m.t.Errorf("%s: got %v %v:%v, want %v %s:%s", path, fi.Mode().Perm(), u, g, mode, owner, group)
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// TestServerPackageLifecycle installs the previous package, creates the
// administrator with /opt/canale/bin/setup as Catena operators do, upgrades,
// signs in to the upgraded server (running as the canale account with its
// embedded PostgreSQL, so the data survived and no root is needed), then
// removes and purges. This machine runs no systemd, as in a container.
func TestServerPackageLifecycle(t *testing.T) {
	m := newMachine(t)
	analyze := need(t, "systemd-analyze", "systemd")
	oldDeb := buildServerDeb(t, &serverDebOld, oldDebVersion)
	newDeb := buildServerDeb(t, &serverDebNew, debVersion(t))

	m.dpkg("-i", oldDeb)
	if err := os.WriteFile(testMarker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	u, err := user.Lookup("canale")
	if err != nil {
		t.Fatalf("no canale account after install: %v", err)
	}
	if uid, _ := strconv.Atoi(u.Uid); uid >= 1000 || u.HomeDir != dataDir {
		t.Errorf("canale account: got uid %s home %s, want a system uid and home %s", u.Uid, u.HomeDir, dataDir)
	}
	m.wantMode(dataDir, 0o750, "canale", "canale")
	m.wantMode("/etc/canale/canale.env", 0o640, "root", "canale")
	if target, err := os.Readlink("/opt/canale/bin/canale"); err != nil || target != "/usr/bin/canale" {
		t.Errorf("/opt/canale/bin/canale: got link to %q (%v), want /usr/bin/canale", target, err)
	}
	// Enabled for the day systemd runs, even though it does not run now.
	if !exists("/etc/systemd/system/multi-user.target.wants/canale.service") {
		t.Error("canale.service not enabled after install")
	}
	// systemd ignores a misspelt hardening setting with only a log line.
	if out, err := exec.Command(analyze, "verify", "--man=no", "/lib/systemd/system/canale.service").CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify canale.service: %v\n%s", err, out)
	}

	setup := exec.Command("/opt/canale/bin/setup", "init")
	setup.Dir = "/"
	out, err := setup.CombinedOutput()
	if err != nil {
		t.Fatalf("/opt/canale/bin/setup init: %v\n%s", err, out)
	}
	pw := regexp.MustCompile(`(?m)^password: (\S+)$`).FindSubmatch(out)
	if pw == nil {
		t.Fatalf("setup init printed no password:\n%s", out)
	}
	m.wantMode(filepath.Join(dataDir, "postgresql", "data"), 0o700, "canale", "canale")

	m.dpkg("-i", newDeb)
	if got, want := m.installed(), "install ok installed "+debVersion(t); got != want {
		t.Errorf("after upgrade: got %q, want %q", got, want)
	}
	if !exists(testMarker) {
		t.Error("the upgrade lost the data directory's contents")
	}
	signInAsCanale(t, u, string(pw[1]))

	m.dpkg("-r", "canale")
	if exists("/usr/bin/canale") || exists("/opt/canale/bin/setup") {
		t.Error("dpkg -r left the programs")
	}
	if !exists("/etc/canale/canale.env") || !exists(filepath.Join(dataDir, "postgresql", "data", "PG_VERSION")) {
		t.Error("dpkg -r removed the settings or the database")
	}

	out2 := m.dpkg("-P", "canale")
	if m.installed() != "" || exists("/etc/canale") || exists("/etc/systemd/system/multi-user.target.wants/canale.service") {
		t.Errorf("dpkg -P left the package, /etc/canale or the unit's enablement: %q", m.installed())
	}
	// The database outlives a purge on purpose; postrm says where it is.
	if !exists(filepath.Join(dataDir, "postgresql", "data", "PG_VERSION")) || !strings.Contains(out2, "kept the data in /var/lib/canale") {
		t.Errorf("dpkg -P: want the database kept and said so, got:\n%s", out2)
	}
}

// signInAsCanale starts the installed server as the canale account, as the
// unit does, and signs in with the administrator's password.
func signInAsCanale(t *testing.T, u *user.User, password string) {
	t.Helper()
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	cmd := exec.Command("/usr/bin/canale", "serve", "--http-addr", "127.0.0.1:0", "--log-level", "warn")
	cmd.Dir = "/"
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dataDir, "CANALE_DATA_DIR=" + dataDir}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start canale serve as canale: %v", err)
	}
	// The banner names the address; the channel closes when the output
	// ends, so an early exit shows as a closed channel.
	baseURL := make(chan string, 1)
	go func() {
		defer close(baseURL)
		banner := regexp.MustCompile(`Readiness\s+(http://\S+)/readyz`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := banner.FindStringSubmatch(sc.Text()); m != nil {
				baseURL <- m[1]
			}
		}
	}()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		for range baseURL { // Wait may close stdout only once it is read to the end
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("canale serve exited: %v\n%s", err, errOut.String())
		}
	}()
	select {
	case url, ok := <-baseURL:
		if !ok {
			t.Fatalf("canale serve as canale exited before it was up")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := client.New(url, nil).Login(ctx, "admin", password); err != nil {
			t.Errorf("sign in after the upgrade: %v", err)
		}
	case <-time.After(90 * time.Second):
		t.Fatalf("canale serve as canale not up after 90s")
	}
}

// TestServerPackageUnderSystemd runs the same cycle where systemd runs (as
// a stand-in) and checks what the maintainer scripts ask of it: start on
// install, exactly one restart and no stop on upgrade, stop on removal.
func TestServerPackageUnderSystemd(t *testing.T) {
	m := newMachine(t)
	need(t, "unshare", "util-linux")
	oldDeb := buildServerDeb(t, &serverDebOld, oldDebVersion)
	newDeb := buildServerDeb(t, &serverDebNew, debVersion(t))
	m.fakeSystemd = filepath.Join(t.TempDir(), "systemd.log")
	if err := os.Chmod(filepath.Dir(m.fakeSystemd), 0o755); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		name string
		args []string
		want []string
	}{
		{"Install", []string{"-i", oldDeb}, []string{"start canale.service"}},
		{"Upgrade", []string{"-i", newDeb}, []string{"restart canale.service"}},
		{"Remove", []string{"-r", "canale"}, []string{"stop canale.service"}},
		{"Purge", []string{"-P", "canale"}, nil},
	}
	for _, s := range steps {
		m.dpkg(s.args...)
		if s.name == "Install" {
			if err := os.WriteFile(testMarker, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if got := m.serviceActions(); !slices.Equal(got, s.want) {
			t.Errorf("%s: got service actions %q, want %q", s.name, got, s.want)
		}
	}
}
