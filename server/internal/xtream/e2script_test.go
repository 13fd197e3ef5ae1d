package xtream_test

import (
	"canale/server/internal/testtools"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2ScriptInstallsBouquet runs the enigma22_script download with sh
// and wget in a scratch receiver tree, twice: the bouquet is the dreambox
// download of the same line, bouquets.tv lists it once after the entries it
// had, enigma2_pre_start.sh keeps its own line and gains ours once, and
// nothing is world-writable.
func TestE2ScriptInstallsBouquet(t *testing.T) {
	for _, tool := range []string{"sh", "wget"} {
		if _, err := testtools.Look(tool); err != nil {
			testtools.Missing(t, tool+" not found", "apt-get install wget (make deps)")
		}
	}
	srv := serveAt(t, "") // links from the request, so the script's URL reaches this server
	res, script := get(t, srv.URL+"/get.php?"+creds+"&type=enigma22_script&output=ts")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" ||
		res.Header.Get("Content-Disposition") != `attachment; filename="iptv.sh"` {
		t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
	}
	if strings.Contains(string(script), "\r") || strings.Contains(string(script), "777") {
		t.Errorf("script has CR line ends or chmod 777:\n%s", script)
	}
	root := t.TempDir()
	e2 := filepath.Join(root, "etc", "enigma2")
	for _, d := range []string{e2, filepath.Join(root, "usr", "bin")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	theirs := "#NAME User - bouquets (TV)\n#SERVICE 1:7:1:0:0:0:0:0:0:0:FROM BOUQUET \"userbouquet.favourites.tv\" ORDER BY bouquet\n"
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(e2, "bouquets.tv"), theirs)
	write(filepath.Join(root, "usr", "bin", "enigma2_pre_start.sh"), "#!/bin/sh\n/usr/bin/other-plugin\n")
	write(filepath.Join(e2, "iptv.sh"), string(script))
	for range 2 {
		cmd := exec.Command("sh", filepath.Join(e2, "iptv.sh"))
		cmd.Env = append(os.Environ(), "E2_ROOT="+root)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sh iptv.sh: %v\n%s", err, out)
		}
	}
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	_, want := get(t, srv.URL+"/get.php?"+creds+"&type=dreambox&output=ts")
	if got := read(filepath.Join(e2, "userbouquet.canale__tv_.tv")); got != string(want) {
		t.Errorf("installed bouquet:\n%q\nwant the dreambox download:\n%q", got, want)
	}
	wantList := theirs + "#SERVICE 1:7:1:0:0:0:0:0:0:0:FROM BOUQUET \"userbouquet.canale__tv_.tv\" ORDER BY bouquet\n"
	if got := read(filepath.Join(e2, "bouquets.tv")); got != wantList {
		t.Errorf("bouquets.tv:\n%s\nwant:\n%s", got, wantList)
	}
	start := filepath.Join(root, "usr", "bin", "enigma2_pre_start.sh")
	wantStart := "#!/bin/sh\n/usr/bin/other-plugin\n/bin/sh " + e2 + "/iptv.sh # canale bouquet\n"
	if got := read(start); got != wantStart {
		t.Errorf("enigma2_pre_start.sh:\n%s\nwant:\n%s", got, wantStart)
	}
	if fi, err := os.Stat(start); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("enigma2_pre_start.sh mode %v (%v), want 0755", fi.Mode(), err)
	}
}

// TestE2ScriptQuotesItsURL: the URL goes into the script single-quoted, so
// a quote that reaches it (here through the Host the links are built from)
// cannot end the string and run a command.
func TestE2ScriptQuotesItsURL(t *testing.T) {
	srv := serveAt(t, "")
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/get.php?"+creds+"&type=enigma216_script&output=m3u8", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "tv'$(reboot)'x"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	want := `URL='http://tv'\''$(reboot)'\''x/get.php?output=m3u8&password=` + password + `&type=enigma16&username=alice'` + "\n"
	if !strings.Contains(string(body), want) {
		t.Errorf("script:\n%s\nwant the line %q", body, want)
	}
}
