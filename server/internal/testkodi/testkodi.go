// Package testkodi runs the real Kodi media centre with one of its PVR
// add-ons against a test server, and drives it through Kodi's JSON-RPC API.
// It is the third-party client of the protocols Kodi speaks (issue 17): no
// Stalker client is published for Go or npm, but Debian ships Kodi and its
// pvr.stalker add-on, which its users point at portals like Canale's.
//
// Kodi runs under Xvfb with a throwaway profile (HOME is a temporary
// directory, so everything Kodi writes lands in HOME/.kodi), its web server
// on a free loopback port without authentication, and the add-on's settings
// written from Options.Settings before Kodi starts.
package testkodi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"canale/server/internal/testtools"
)

const installHint = "apt-get install -y --no-install-recommends kodi kodi-pvr-stalker kodi-pvr-iptvsimple xvfb"

// AddonDir is where Debian's kodi-pvr-* packages put an add-on's data
// (addon.xml, resources/); the shared library sits under /usr/lib.
const AddonDir = "/usr/share/kodi/addons"

// startTimeout bounds Kodi's start until its JSON-RPC answers: a cold
// start creates a dozen databases first. It takes about 10 s; on this
// 2-core machine under a load average of 30 it once took over 60 s.
const startTimeout = 2 * time.Minute

// Options configure a Kodi instance.
type Options struct {
	// Addon is the PVR add-on to configure and enable, e.g. "pvr.stalker".
	Addon string
	// Settings are the add-on's settings by id, as its
	// resources/settings.xml names them.
	Settings map[string]string
}

// Kodi is a running Kodi.
type Kodi struct {
	// URL is the JSON-RPC endpoint.
	URL string
	// Home is Kodi's HOME; the profile is Home/.kodi.
	Home  string
	addon string
	procs []*testtools.Proc
}

// Start starts Xvfb and Kodi, waits until JSON-RPC answers, and enables the
// add-on; both stop when the test ends. When Kodi, the add-on or Xvfb is
// missing the test fails under CI=true and is skipped elsewhere. If the
// test failed, the add-on's lines of Kodi's log are written to it.
func Start(tb testing.TB, opts Options) *Kodi {
	tb.Helper()
	kodiBin, xvfb := requireTools(tb, opts.Addon)
	k := &Kodi{Home: tb.TempDir(), addon: opts.Addon}
	tb.Cleanup(func() {
		k.stop()
		if tb.Failed() {
			tb.Logf("kodi.log (the add-on's lines, its HTTP requests and errors):\n%s", k.failureLines())
		}
	})
	port, err := testtools.FreePort()
	if err != nil {
		tb.Fatal(err)
	}
	k.URL = "http://127.0.0.1:" + strconv.Itoa(port) + "/jsonrpc"
	if err := k.writeProfile(port, opts); err != nil {
		tb.Fatal(err)
	}
	display, err := k.startXvfb(xvfb)
	if err != nil {
		tb.Fatal(err)
	}
	if err := k.startKodi(kodiBin, display); err != nil {
		tb.Fatal(err)
	}
	if err := k.Call(tb.Context(), "Addons.SetAddonEnabled", map[string]any{"addonid": opts.Addon, "enabled": true}, nil); err != nil {
		tb.Fatalf("enable %s: %v", opts.Addon, err)
	}
	return k
}

// kodiBinaries are where Debian's kodi-bin puts Kodi itself. /usr/bin/kodi
// is a shell script around it that restarts it on request and writes crash
// reports; the harness runs the binary, so that Pdeathsig reaches Kodi
// itself when the test binary dies.
const kodiBinaries = "/usr/lib/*/kodi/kodi.bin"

// requireTools finds Kodi, Xvfb and the add-on.
func requireTools(tb testing.TB, addon string) (kodiBin, xvfb string) {
	tb.Helper()
	bins, _ := filepath.Glob(kodiBinaries)
	if len(bins) == 0 {
		testtools.Missing(tb, "kodi not found at "+kodiBinaries, installHint)
	}
	kodiBin = bins[0]
	xvfb, err := testtools.Look("Xvfb")
	if err != nil {
		testtools.Missing(tb, "Xvfb not found", installHint)
	}
	if _, err := os.Stat(filepath.Join(AddonDir, addon, "addon.xml")); err != nil {
		testtools.Missing(tb, "Kodi add-on "+addon+" not found under "+AddonDir, installHint)
	}
	return kodiBin, xvfb
}

// userdata is the profile's settings directory.
func (k *Kodi) userdata(elem ...string) string {
	return filepath.Join(append([]string{k.Home, ".kodi", "userdata"}, elem...)...)
}

// writeProfile writes the settings Kodi reads at start: the web server
// (JSON-RPC) on port with no authentication, the network services a test
// needs none of turned off, debug logging, and the add-on's settings.
func (k *Kodi) writeProfile(port int, opts Options) error {
	gui := map[string]string{
		"services.webserver":               "true",
		"services.webserverport":           strconv.Itoa(port),
		"services.webserverauthentication": "false",
		"services.esenabled":               "false",
		"services.zeroconf":                "false",
		"services.upnp":                    "false",
		"services.airplay":                 "false",
		"general.addonupdates":             "2", // never: the machine has no network
		"general.addonnotifications":       "false",
	}
	files := map[string]string{
		k.userdata("guisettings.xml"):                        settingsXML(gui),
		k.userdata("addon_data", opts.Addon, "settings.xml"): settingsXML(opts.Settings),
		// loglevel 1 is debug: the add-on logs every portal call and answer.
		k.userdata("advancedsettings.xml"): "<advancedsettings version=\"1.0\">\n  <loglevel>1</loglevel>\n</advancedsettings>\n",
	}
	for path, body := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// settingsXML renders settings in Kodi's version 2 settings file format, in
// a stable order.
func settingsXML(settings map[string]string) string {
	ids := make([]string, 0, len(settings))
	for id := range settings {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var b strings.Builder
	b.WriteString("<settings version=\"2\">\n")
	for _, id := range ids {
		b.WriteString(`  <setting id="`)
		xml.EscapeText(&b, []byte(id))
		b.WriteString(`">`)
		xml.EscapeText(&b, []byte(settings[id]))
		b.WriteString("</setting>\n")
	}
	b.WriteString("</settings>\n")
	return b.String()
}

// startXvfb starts a virtual X server on a display it picks itself
// (-displayfd), so parallel test binaries never collide, and returns the
// display name.
func (k *Kodi) startXvfb(xvfb string) (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1280x720x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w} // fd 3
	p, err := testtools.StartProc("Xvfb", cmd)
	w.Close()
	if err != nil {
		return "", err
	}
	k.procs = append(k.procs, p)
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			return "", fmt.Errorf("no display number from Xvfb: %s", p.Output())
		}
		return ":" + n, nil
	case <-time.After(15 * time.Second):
		return "", fmt.Errorf("no display number from Xvfb within 15s: %s", p.Output())
	}
}

// startKodi starts Kodi on display and waits until JSON-RPC answers.
func (k *Kodi) startKodi(kodiBin, display string) error {
	cmd := exec.Command(kodiBin, "--standalone", "--windowing=x11")
	cmd.Env = append(os.Environ(), "HOME="+k.Home, "DISPLAY="+display, "LANG=C.UTF-8")
	p, err := testtools.StartProc("kodi", cmd)
	if err != nil {
		return err
	}
	k.procs = append(k.procs, p)
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		var pong string
		err := k.Call(ctx, "JSONRPC.Ping", nil, &pong)
		if err == nil && pong == "pong" {
			return nil
		}
		if p.Exited() {
			return fmt.Errorf("kodi exited (%v): %s\nkodi.log:\n%s", p.Err(), p.Output(), k.LogTail(40))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("kodi's JSON-RPC did not answer within %v (%v)\nkodi.log:\n%s", startTimeout, err, k.LogTail(40))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stop ends Kodi, then Xvfb.
func (k *Kodi) stop() {
	for _, p := range slices.Backward(k.procs) {
		p.Stop(syscall.SIGTERM, 10*time.Second)
	}
}

// RPCError is an error answer of Kodi's JSON-RPC.
type RPCError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

func (e *RPCError) Error() string {
	return fmt.Sprintf("json-rpc error %d: %s %s", e.Code, e.Message, e.Data)
}

// Call calls a JSON-RPC method with params (nil for none) and decodes its
// result into result (nil to ignore it).
func (k *Kodi) Call(ctx context.Context, method string, params, result any) error {
	req := map[string]any{"jsonrpc": "2.0", "id": 1, "method": method}
	if params != nil {
		req["params"] = params
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, k.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	hr.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d %s", method, res.StatusCode, raw)
	}
	var answer struct {
		Result json.RawMessage `json:"result"`
		Error  *RPCError       `json:"error"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return fmt.Errorf("%s: %w in %s", method, err, raw)
	}
	if answer.Error != nil {
		return fmt.Errorf("%s: %w", method, answer.Error)
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(answer.Result, result); err != nil {
		return fmt.Errorf("%s: %w in %s", method, err, answer.Result)
	}
	return nil
}

// LogPath is Kodi's log file.
func (k *Kodi) LogPath() string { return filepath.Join(k.Home, ".kodi", "temp", "kodi.log") }

// LogLines returns the lines of Kodi's log that hold any of words.
func (k *Kodi) LogLines(words ...string) string {
	b, _ := os.ReadFile(k.LogPath())
	var out strings.Builder
	for line := range strings.Lines(string(b)) {
		for _, w := range words {
			if strings.Contains(line, w) {
				out.WriteString(line)
				break
			}
		}
	}
	return out.String()
}

// failureLines are the lines of Kodi's log that explain a failed test:
// the add-on's, the URLs Kodi opened, errors, and the last lines, leaving
// out the audio engine's (Xvfb has no sound card, so it retries twice a
// second) and the web server's request lines.
func (k *Kodi) failureLines() string {
	b, _ := os.ReadFile(k.LogPath())
	var lines []string
	for line := range strings.Lines(string(b)) {
		if !strings.Contains(line, "ActiveAE") && !strings.Contains(line, "request received") {
			lines = append(lines, line)
		}
	}
	var out strings.Builder
	tail := max(0, len(lines)-20)
	for i, line := range lines {
		if i >= tail || strings.Contains(line, k.addon) || strings.Contains(line, "CurlFile::Open") || strings.Contains(line, "error <") {
			out.WriteString(line)
		}
	}
	return out.String()
}

// LogTail returns the last n lines of Kodi's log.
func (k *Kodi) LogTail(n int) string {
	b, _ := os.ReadFile(k.LogPath())
	lines := strings.SplitAfter(string(b), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "")
}
