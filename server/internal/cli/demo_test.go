package cli_test

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"canale/server/internal/cli"
	"canale/shared/api"
	"canale/shared/client"
)

var playbackLine = regexp.MustCompile(`(?m)^playback: (\S+)$`)

// TestDemo starts `canale demo` on its embedded PostgreSQL and follows the
// printed playback URL to a simulated edge: the demo's fleet is alive.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, testBuild, []string{"demo", "--http-addr", "127.0.0.1:0", "--data-dir", shortTempDir(t),
			"--log-level", "error"}, cli.IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: noEnv})
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("demo exited %d: %s", code, errOut.String())
		}
	}()
	var play string
	for deadline := time.Now().Add(90 * time.Second); play == "" && time.Now().Before(deadline); {
		if m := playbackLine.FindStringSubmatch(out.String()); m != nil {
			play = m[1]
			break
		}
		select {
		case code := <-done:
			done <- code
			t.Fatalf("demo exited %d before it was up: %s", code, errOut.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if play == "" {
		t.Fatalf("no playback line after 90s: %s", out.String())
	}
	for _, line := range []string{"login: admin\n", "password: ", "subscriber_login: demo\n", "subscriber_password: ",
		"reseller_login: dealer\n", "reseller_password: ", "reseller_panel: ", "mag_mac: 00:1A:79:DE:40:01\n"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}
	checkDemoReseller(t, out.String())
	checkDemoQuiet(t, demoAdmin(t, play[:strings.Index(play, "/news/")], out.String()))
	news := checkDemoContent(t, play[:strings.Index(play, "/news/")], out.String())
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(play)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	token := play[strings.Index(play, "?"):]
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasSuffix(loc, "/news/index.m3u8"+token) {
		t.Errorf("got %d to %q, want 302 to an edge with the path and token", resp.StatusCode, loc)
	}
	m := tunerLine.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no tuner_url line:\n%s", out.String())
	}
	// The seed reaches the read model through its change notification, a
	// moment after the demo prints its lines.
	var body []byte
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err = http.Get(m[1] + "/discover.json")
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || time.Now().After(deadline) {
			break
		}
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"LineupURL":"`+m[1]+`/lineup.json"`) {
		t.Errorf("tuner %s/discover.json: %d %s", m[1], resp.StatusCode, body)
	}
	checkDemoSeries(t, play[:strings.Index(play, "/news/")], out.String())
	// The printed MAG box boots on the Stalker portal.
	base := play[:strings.Index(play, "/news/")]
	for _, action := range []string{"handshake", "get_profile"} {
		req, _ := http.NewRequest(http.MethodGet, base+"/c/portal.php?type=stb&action="+action+"&JsHttpRequest=1-xml", nil)
		req.Header.Set("Cookie", "mac=00%3A1A%3A79%3ADE%3A40%3A01")
		req.Header.Set("Authorization", "Bearer 0D9E6B2F4C1A7E3B5D8F0A2C4E6B8D1F")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if action == "get_profile" && !strings.Contains(string(body), `"status":0`) {
			t.Errorf("the demo's MAG box: %s, want status 0", body)
		}
	}
	checkDemoOnDemand(t, base, out.String())
	checkDemoBoxes(t, base, out.String(), news)
	checkDemoPlays(t, base, out.String(), news)
}

var resellerLines = regexp.MustCompile(`(?m)^reseller_password: (\S+)\nreseller_panel: (\S+)/reseller/$`)

// checkDemoReseller signs in with the printed reseller password: the
// dealer has sold its three lines, each debited.
func checkDemoReseller(t *testing.T, out string) {
	t.Helper()
	m := resellerLines.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no reseller password and panel lines:\n%s", out)
	}
	ctx := context.Background()
	c := client.New(m[2], nil)
	login, err := c.LoginReseller(ctx, "dealer", m[1])
	if err != nil {
		t.Fatalf("sign in as the demo reseller: %v", err)
	}
	if login.Reseller.CreditsMinor != 7900 {
		t.Errorf("demo reseller's credits: %v, want 100 - 5 - 8 - 8 = 79.00 (7900)", login.Reseller.CreditsMinor)
	}
	lines, err := c.Subscribers(ctx, api.SubscriberFilter{}, api.ListParams{})
	if err != nil || len(lines.Items) != 3 {
		t.Errorf("demo reseller's lines: %d (%v), want 3", len(lines.Items), err)
	}
}

var tunerLine = regexp.MustCompile(`(?m)^tuner_url: (http://\S+/hdhr/[0-9a-f]{64})$`)
