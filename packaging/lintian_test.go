package packaging

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLintian checks both .debs the way Debian would: no error and no
// warning (each one is fixed or overridden with the reason in
// packaging/*.lintian-overrides), and no override left that matches nothing.
func TestLintian(t *testing.T) {
	need(t, "lintian", "lintian")
	debs := []struct {
		name  string
		build func(*testing.T) string
	}{
		{"canale", func(t *testing.T) string { return buildServerDeb(t, &serverDebNew, debVersion(t)) }},
		{"canale-admin", buildDesktopDeb},
	}
	for _, d := range debs {
		t.Run(d.name, func(t *testing.T) {
			deb := d.build(t)
			out, err := exec.Command("lintian", "--fail-on", "error,warning", "--display-info", deb).CombinedOutput()
			report := strings.ReplaceAll(string(out), "running with root privileges is not recommended!\n", "")
			if err != nil {
				t.Errorf("lintian %s: %v\n%s", deb, err, report)
			}
			for _, tag := range []string{"unused-override", "mismatched-override"} {
				if strings.Contains(report, tag) {
					t.Errorf("lintian %s: %s; fix packaging/*.lintian-overrides:\n%s", deb, tag, report)
				}
			}
			t.Logf("lintian %s:\n%s", deb, report)
		})
	}
}

func debVersion(t *testing.T) string {
	_, deb, _ := versions(t)
	return deb
}
