package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testedge"
	"canale/shared/api"
)

// TestSessionLimitAcrossMAGXCAndTuner: alice, allowed one session, has a
// MAG box, an Xtream app and a tuner, all playing through the balancer and
// the real nginx edge, whose auth calls Canale's play authorization
// answers. Whichever of the three plays first holds the one session and
// the other two are refused, each in its own way: the tuner with 503 "805
// All Tuners In Use", the Xtream app's and the box's edge requests with
// 403. Killing the session frees it for the next order, and at the end
// for the box again.
func TestSessionLimitAcrossMAGXCAndTuner(t *testing.T) {
	c := startTunerChain(t)
	ctx := t.Context()
	const mac = "00:1A:79:17:17:17"
	if _, err := c.srv.Admin.CreateDevice(ctx, api.Device{SubscriberID: c.alice.ID, MAC: mac}); err != nil {
		t.Fatal(err)
	}
	box := &magBox{t: t, base: c.srv.URL + "/c/portal.php", mac: mac}
	box.boot()
	var lineup []struct{ URL string }
	getJSON(t, c.alice.TunerURL+"/lineup.json", &lineup)
	if len(lineup) != 2 {
		t.Fatalf("lineup.json: %+v", lineup)
	}
	xc := fmt.Sprintf("%s/live/alice/%s/%d.m3u8", c.srv.URL, chainPassword, channelID(t, c, "ch2"))
	probe := func(u string) error {
		pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return testedge.Probe(pctx, u)
	}
	refused := func(who, u string) {
		t.Helper()
		if err := probe(u); err == nil || !strings.Contains(err.Error(), "403") {
			t.Fatalf("%s: %v, want a 403 from the edge (limit 1)", who, err)
		}
	}
	tunerRefused := func(u string) {
		t.Helper()
		if res := plainGet(t, u); res.StatusCode != http.StatusServiceUnavailable ||
			res.Header.Get("X-HDHomeRun-Error") != "805 All Tuners In Use" {
			t.Fatalf("tuner stream: %d %q, want 503 805", res.StatusCode, res.Header.Get("X-HDHomeRun-Error"))
		}
	}

	// The box first: its minted link plays; the tuner and the app are refused.
	if err := probe(box.link(c, "ch1")); err != nil {
		t.Fatalf("MAG play: %v", err)
	}
	tunerRefused(lineup[1].URL)
	refused("Xtream play beside the MAG box", xc)
	killSessions(t, c)

	// The tuner first: while a media server watches, the box is refused.
	held, _ := openTuner(t, lineup[0].URL)
	ended := make(chan struct{})
	go func() { io.Copy(io.Discard, held.Body); close(ended) }()
	refused("MAG play beside the tuner", box.link(c, "ch2"))
	killSessions(t, c)
	select {
	case <-ended:
	case <-time.After(20 * time.Second):
		t.Fatal("the tuner stream went on after its session was killed")
	}

	// The Xtream app first: the box is refused, and so is the tuner.
	if err := probe(xc); err != nil {
		t.Fatalf("Xtream play: %v", err)
	}
	refused("MAG play beside the Xtream app", box.link(c, "ch1"))
	tunerRefused(lineup[0].URL)

	// The refusals were the limit: with the app's session killed the box plays.
	killSessions(t, c)
	if err := probe(box.link(c, "ch1")); err != nil {
		t.Fatalf("MAG play after the Xtream session was killed: %v", err)
	}
}

// magBox is a MAG box on the Stalker portal (stalker.md §0.1): the mac
// cookie, and after the handshake a Bearer token.
type magBox struct {
	t              *testing.T
	base, mac, tok string
}

// js calls type/action with params and decodes the js member into out.
func (b *magBox) js(out any, typ, action string, params ...string) {
	b.t.Helper()
	q := url.Values{"type": {typ}, "action": {action}, "JsHttpRequest": {"1-xml"}}
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	req, err := http.NewRequest(http.MethodGet, b.base+"?"+q.Encode(), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Cookie", "mac="+url.QueryEscape(b.mac)+"; stb_lang=en; timezone=UTC")
	if b.tok != "" {
		req.Header.Set("Authorization", "Bearer "+b.tok)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	var env struct {
		JS json.RawMessage `json:"js"`
	}
	if err := json.NewDecoder(res.Body).Decode(&env); err != nil || res.StatusCode != http.StatusOK {
		b.t.Fatalf("%s/%s: %d %v", typ, action, res.StatusCode, err)
	}
	if err := json.Unmarshal(env.JS, out); err != nil {
		b.t.Fatalf("%s/%s: %v in %s", typ, action, err, env.JS)
	}
}

// boot runs the handshake and the profile, failing unless the box may play.
func (b *magBox) boot() {
	b.t.Helper()
	var hs struct{ Token string }
	b.js(&hs, "stb", "handshake", "token", "", "prehash", "0")
	b.tok = hs.Token
	var pr struct{ Status int }
	b.js(&pr, "stb", "get_profile", "sn", "062014N000017", "stb_type", "MAG254", "auth_second_step", "1")
	if hs.Token == "" || pr.Status != 0 {
		b.t.Fatalf("boot: token %q, profile status %d; want a token and status 0", hs.Token, pr.Status)
	}
}

// link asks create_link for the channel as the box does, with the cmd its
// channel list gives, and returns the minted stream URL on the balancer in
// its HLS form: the test edge (nginx-rtmp) serves HLS only, and what its
// auth call checks, the minted token, is the same in either form.
func (b *magBox) link(c tunerChain, channel string) string {
	b.t.Helper()
	var list struct {
		Data []struct {
			ID  int64
			Cmd string
		}
	}
	b.js(&list, "itv", "get_ordered_list", "p", "1")
	for _, ch := range list.Data {
		if ch.ID != channelID(b.t, c, channel) {
			continue
		}
		var l struct{ Cmd, Error string }
		b.js(&l, "itv", "create_link", "cmd", ch.Cmd)
		f := strings.Fields(l.Cmd)
		if l.Error != "" || len(f) == 0 || !strings.Contains(f[len(f)-1], "/"+channel+"/mpegts?token=m1.") {
			b.t.Fatalf("create_link of %s: %+v, want a minted MPEG-TS link", channel, l)
		}
		return strings.Replace(f[len(f)-1], "/mpegts?", "/index.m3u8?", 1)
	}
	b.t.Fatalf("channel %s not in the box's list %+v", channel, list.Data)
	return ""
}
