package importxc_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"canale/server/internal/importxc"
	"canale/server/internal/testmariadb"
	"canale/server/internal/testserver"
)

// xcUserInfo is what player_api.php answers a sign-in with.
type xcUserInfo struct {
	UserInfo struct {
		Auth   int    `json:"auth"`
		Status string `json:"status"`
	} `json:"user_info"`
}

// portalBoot boots a MAG box on Canale's Stalker portal as the box does
// (handshake, then get_profile with its ids) and returns the profile's
// status (0: the portal lets it in) and subscriber id.
func portalBoot(t *testing.T, base, mac, sn, stbType, deviceID, deviceID2 string) (status int, id int64) {
	t.Helper()
	status, id, _ = portalSession(t, base, mac, sn, stbType, deviceID, deviceID2)
	return status, id
}

// portalCall calls one action of the portal's load.php in a box's session
// and decodes the "js" of its answer into out.
type portalCall func(out any, typ, action string, params ...string)

// portalSession is portalBoot that also returns the box's session, so a
// test can go on (create_link) as the box would.
func portalSession(t *testing.T, base, mac, sn, stbType, deviceID, deviceID2 string) (status int, id int64, call portalCall) {
	t.Helper()
	token := ""
	call = func(out any, typ, action string, params ...string) {
		t.Helper()
		q := url.Values{"type": {typ}, "action": {action}, "JsHttpRequest": {"1-xml"}}
		for i := 0; i+1 < len(params); i += 2 {
			q.Set(params[i], params[i+1])
		}
		req, _ := http.NewRequest(http.MethodGet, base+"/stalker_portal/server/load.php?"+q.Encode(), nil)
		req.Header.Set("Cookie", "mac="+url.QueryEscape(mac)+"; stb_lang=en; timezone=Europe%2FParis")
		req.Header.Set("User-Agent", "Mozilla/5.0 (QtEmbedded; U; Linux; C) AppleWebKit/533.3 (KHTML, like Gecko) MAG200 stbapp ver: 2 rev: 250 Safari/533.3")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		var env struct {
			JS json.RawMessage `json:"js"`
		}
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, &env) != nil || json.Unmarshal(env.JS, out) != nil {
			t.Fatalf("portal %s: HTTP %d %s", action, res.StatusCode, body)
		}
	}
	var hs struct {
		Token string `json:"token"`
	}
	call(&hs, "stb", "handshake", "token", "", "prehash", "0")
	token = hs.Token
	var p struct {
		ID     int64 `json:"id"`
		Status int   `json:"status"`
	}
	call(&p, "stb", "get_profile", "hd", "1", "sn", sn, "stb_type", stbType, "device_id", deviceID, "device_id2", deviceID2,
		"ver", "ImageDescription: 0.2.18-r14", "auth_second_step", "1")
	return p.Status, p.ID, call
}

// getPHP downloads get.php for a line with the playlist type typ and
// returns the status and body.
func getPHP(t *testing.T, base, login, password, typ string) (int, string) {
	t.Helper()
	return httpGet(t, base+"/get.php?"+url.Values{"username": {login}, "password": {password}, "type": {typ}, "output": {"ts"}}.Encode())
}

// httpGet fetches u without following redirects and returns the status
// and the body, or the Location of a redirect.
func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := cl.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if loc := res.Header.Get("Location"); loc != "" {
		return res.StatusCode, loc
	}
	return res.StatusCode, string(body)
}

// playAuth asks Canale's Flussonic auth endpoint, as the streamer does,
// whether the stream URL u (a balancer URL with its token) may play for a
// viewer at 127.0.0.1, and returns the status of the answer.
func playAuth(t *testing.T, base, secret, u string) int {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.Split(strings.TrimPrefix(p.Path, "/"), "/")[0]
	q := url.Values{"name": {name}, "token": {p.Query().Get("token")}, "ip": {"127.0.0.1"}, "proto": {"mpegts"},
		"request_type": {"new_session"}, "session_id": {"s-" + name + "-" + p.Query().Get("token")}}
	code, _ := httpGet(t, base+"/flussonic/"+secret+"/auth?"+q.Encode())
	return code
}

// TestDeviceOnlyLines checks imported MAG and Enigma2 lines (is_mag /
// is_e2) as XC-family panels treat them. XC_VM's player_api.php checks
// only admin_enabled, enabled and exp_date, so a device line signs in
// there (auth 1) as any line does; its MAG box still boots on the Stalker
// portal by MAC with its locked ids, and an Enigma2 line keeps its
// username and password for the XC plugins on the box. As XC_VM, Canale
// refuses device lines on get.php (every type, Enigma2 bouquets included)
// with DEVICE_NOT_ALLOWED, and a MAG line's /live/, /movie/ and prefixless
// links and its own token at the streamer, while the links the portal
// mints for its box play.
func TestDeviceOnlyLines(t *testing.T) {
	srv := testmariadb.Start(t)

	t.Run("xc", func(t *testing.T) {
		x := newXC(t, srv, "xc_devlines", 2, 0)
		x.exec(t, `UPDATE users SET is_e2 = 1 WHERE id = 1000`) // line1000: an Enigma2 line; alice (1) is is_mag with box 1
		c := newCanale(t)
		run(t, x, c, importxc.Options{})
		c.prepareDevicePlay(t)
		c.expect(t, map[string]string{
			"SELECT concat_ws('|', attributes->>'is_mag', attributes->>'is_e2') FROM subscribers WHERE id = 1":    "true",
			"SELECT concat_ws('|', attributes->>'is_mag', attributes->>'is_e2') FROM subscribers WHERE id = 1000": "true",
		})
		s := testserver.StartOn(t, c.dsn)
		for login, password := range map[string]string{"alice": "pa ss/wörd", "line1000": "pw-1000"} {
			info := playerAPI[xcUserInfo](t, s.URL, login, password, "", "")
			if info.UserInfo.Auth != 1 || info.UserInfo.Status != "Active" {
				t.Errorf("player_api sign-in of device line %s: %+v, want auth 1 and Active as XC_VM answers", login, info.UserInfo)
			}
		}
		if live := playerAPI[[]map[string]any](t, s.URL, "line1000", "pw-1000", "get_live_streams", ""); len(live) == 0 {
			t.Errorf("Enigma2 line1000 sees no live streams through player_api (XStreamity's path)")
		}
		if status, id := portalBoot(t, s.URL, "00:1A:79:12:34:56", "SN0001", "MAG254", "dev-one", "dev-two"); status != 0 || id != 1 {
			t.Errorf("alice's imported MAG box on the portal: status %d, id %d; want 0 (in) as device 1", status, id)
		}
		if status, _ := portalBoot(t, s.URL, "00:1A:79:12:34:56", "OTHER-SN", "MAG254", "dev-one", "dev-two"); status == 0 {
			t.Errorf("alice's box is locked to its ids, but a boot with another serial was let in")
		}
		checkDeviceRules(t, c, s.URL, "alice", "pa ss/wörd", "line1000", "pw-1000")

		// The portal's links for alice's box play; the line's own token does not.
		_, _, call := portalSession(t, s.URL, "00:1A:79:12:34:56", "SN0001", "MAG254", "dev-one", "dev-two")
		var link struct {
			Cmd   string `json:"cmd"`
			Error string `json:"error"`
		}
		call(&link, "itv", "create_link", "cmd", "ffrt http://localhost/ch/10")
		if link.Error != "" || !strings.HasPrefix(link.Cmd, "ffmpeg ") {
			t.Fatalf("portal create_link for alice's box: %+v", link)
		}
		if code := playAuth(t, s.URL, deviceSecret, strings.TrimPrefix(link.Cmd, "ffmpeg ")); code != http.StatusOK {
			t.Errorf("alice's portal link at the streamer: HTTP %d, want 200", code)
		}
		own := "http://x/" + c.value(t, "SELECT name FROM channels WHERE id = 10") + "/mpegts?token=" + c.value(t, "SELECT token FROM subscribers WHERE id = 1")
		if code := playAuth(t, s.URL, deviceSecret, own); code != http.StatusForbidden {
			t.Errorf("alice's own token (a MAG line) at the streamer: HTTP %d, want 403 as XC refuses it outside the portal", code)
		}
	})

	t.Run("xui", func(t *testing.T) {
		x := newXUI(t, srv, "xui_devlines")
		x.exec(t, "UPDATE `lines` SET is_mag = 1 WHERE id = 500")
		x.exec(t, `CREATE TABLE mag_devices (mag_id int PRIMARY KEY, user_id int, mac varchar(255), sn varchar(255), stb_type varchar(255),
			device_id varchar(255), device_id2 varchar(255), lock_device tinyint DEFAULT 0, ver varchar(255), image_version varchar(255))`)
		x.exec(t, `INSERT INTO mag_devices (mag_id, user_id, mac, sn, stb_type) VALUES (3, 500, 'MDA6MUE6Nzk6MDA6MDU6MDA=', 'XUISN', 'MAG322')`)
		c := newCanale(t)
		run(t, x, c, importxc.Options{})
		s := testserver.StartOn(t, c.dsn)
		if info := playerAPI[xcUserInfo](t, s.URL, "xuiline", "xui-pass", "", ""); info.UserInfo.Auth != 1 {
			t.Errorf("player_api sign-in of MAG line xuiline: %+v, want auth 1", info.UserInfo)
		}
		if status, id := portalBoot(t, s.URL, "00:1A:79:00:05:00", "XUISN", "MAG322", "", ""); status != 0 || id != 3 {
			t.Errorf("xuiline's MAG box on the portal: status %d, id %d; want 0 (in) as device 3", status, id)
		}
		checkDeviceRules(t, c, s.URL, "xuiline", "xui-pass", "", "")
	})
}

// deviceSecret is the streamer secret the device tests play with.
const deviceSecret = "device-test-secret"

// prepareDevicePlay sets a streamer secret, so the play checks can be
// asked, and lifts alice's address rule, so they come down to the device
// rule alone.
func (c *canale) prepareDevicePlay(t *testing.T) {
	t.Helper()
	if _, err := c.conn.Exec(context.Background(), `INSERT INTO settings (id, streamer_secret) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET streamer_secret = excluded.streamer_secret`, deviceSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := c.conn.Exec(context.Background(), `UPDATE subscribers SET allowed_ips = '{}'`); err != nil {
		t.Fatal(err)
	}
}

// checkDeviceRules checks XC's device rules through the XC API: the MAG
// line mag is refused on get.php (m3u, m3u_plus and an Enigma2 bouquet)
// and on /live/, /movie/, /series/, /timeshift/, timeshift.php and the
// prefixless form with DEVICE_NOT_ALLOWED;
// the Enigma2 line e2 (when given) is refused on get.php too but plays
// /live/ (the XC plugin on the box builds those links).
func checkDeviceRules(t *testing.T, c *canale, base, mag, magPass, e2, e2Pass string) {
	t.Helper()
	liveID := c.value(t, "SELECT min(id) FROM channels")
	movieID := c.value(t, "SELECT min(id) FROM vod")
	type line struct{ login, password string }
	lines := []line{{mag, magPass}}
	if e2 != "" {
		lines = append(lines, line{e2, e2Pass})
	}
	for _, l := range lines {
		for _, typ := range []string{"m3u", "m3u_plus", "enigma16", "enigma22_script"} {
			if code, body := getPHP(t, base, l.login, l.password, typ); code != http.StatusForbidden || !strings.Contains(body, "DEVICE_NOT_ALLOWED") {
				t.Errorf("get.php type=%s of device line %s: HTTP %d %.80q, want 403 DEVICE_NOT_ALLOWED", typ, l.login, code, body)
			}
		}
	}
	u, p := url.PathEscape(mag), url.PathEscape(magPass)
	for _, path := range []string{"/live/" + u + "/" + p + "/" + liveID + ".ts", "/movie/" + u + "/" + p + "/" + movieID + ".mp4",
		"/series/" + u + "/" + p + "/" + movieID + ".mp4", "/" + u + "/" + p + "/" + liveID,
		"/timeshift/" + u + "/" + p + "/60/2026-01-01:10-00/" + liveID + ".ts",
		"/timeshift.php?" + url.Values{"username": {mag}, "password": {magPass}, "stream": {liveID}, "duration": {"60"}, "start": {"2026-01-01:10-00"}}.Encode()} {
		if code, body := httpGet(t, base+path); code != http.StatusForbidden || !strings.Contains(body, "DEVICE_NOT_ALLOWED") {
			t.Errorf("MAG line %s at %s: HTTP %d %.80q, want 403 DEVICE_NOT_ALLOWED", mag, path, code, body)
		}
	}
	if e2 == "" {
		return
	}
	path := "/live/" + url.PathEscape(e2) + "/" + url.PathEscape(e2Pass) + "/" + liveID + ".ts"
	code, loc := httpGet(t, base+path)
	if code != http.StatusFound {
		t.Fatalf("Enigma2 line %s at %s: HTTP %d %q, want a redirect", e2, path, code, loc)
	}
	if code := playAuth(t, base, deviceSecret, loc); code != http.StatusOK {
		t.Errorf("Enigma2 line %s's /live/ link at the streamer: HTTP %d, want 200", e2, code)
	}
}
