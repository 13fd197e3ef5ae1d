package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHAExamples checks the example configuration of "Running several
// instances" (packaging/ha) with each program's own checker, so the README
// never points operators at a file their haproxy, nginx, Patroni or
// systemd refuses.
func TestHAExamples(t *testing.T) {
	t.Run("haproxy", func(t *testing.T) {
		bin := needSbin(t, "haproxy", "haproxy")
		if out, err := exec.Command(bin, "-c", "-f", "ha/haproxy.cfg").CombinedOutput(); err != nil {
			t.Errorf("haproxy -c: %v\n%s", err, out)
		}
	})
	t.Run("nginx", func(t *testing.T) {
		bin := needSbin(t, "nginx", "nginx")
		dir := t.TempDir()
		abs, _ := filepath.Abs("ha/nginx.conf")
		main := filepath.Join(dir, "nginx.conf") // the example is a conf.d file: include it as Debian's nginx.conf does
		if err := os.WriteFile(main, []byte("pid "+dir+"/nginx.pid;\nevents {}\nhttp { include "+abs+"; }\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bin, "-t", "-p", dir, "-c", main, "-e", filepath.Join(dir, "error.log")).CombinedOutput(); err != nil {
			t.Errorf("nginx -t: %v\n%s", err, out)
		}
	})
	t.Run("patroni", func(t *testing.T) {
		bin := need(t, "patroni", "patroni")
		out, _ := exec.Command(bin, "--validate-config", "ha/patroni.yml").CombinedOutput()
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			// The example's addresses belong to other machines, so they cannot be bound here.
			if line != "" && !strings.Contains(line, "is already in use") {
				t.Errorf("patroni --validate-config: %s", line)
			}
		}
	})
	t.Run("systemd", func(t *testing.T) {
		analyze := need(t, "systemd-analyze", "systemd")
		dir := t.TempDir()
		for _, unit := range []string{"canale@.service", "canale-patroni.service"} {
			b, err := os.ReadFile(filepath.Join("ha", unit))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, unit), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, unit := range []string{"canale@1.service", "canale-patroni.service"} {
			cmd := exec.Command(analyze, "verify", "--man=no", unit)
			cmd.Dir = dir
			out, _ := cmd.CombinedOutput()
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				// canale itself is installed by the package, not on a build machine.
				if line != "" && !strings.Contains(line, "/usr/bin/canale is not executable") {
					t.Errorf("systemd-analyze verify %s: %s", unit, line)
				}
			}
		}
	})
}

// needSbin is need for programs in /usr/sbin, which a non-root PATH lacks.
func needSbin(t *testing.T, tool, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath("/usr/sbin/" + tool); err == nil {
		return p
	}
	return need(t, tool, pkg)
}
