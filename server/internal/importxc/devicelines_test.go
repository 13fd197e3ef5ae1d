package importxc_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
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
	token := ""
	call := func(out any, action string, params ...string) {
		t.Helper()
		q := url.Values{"type": {"stb"}, "action": {action}, "JsHttpRequest": {"1-xml"}}
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
	call(&hs, "handshake", "token", "", "prehash", "0")
	token = hs.Token
	var p struct {
		ID     int64 `json:"id"`
		Status int   `json:"status"`
	}
	call(&p, "get_profile", "hd", "1", "sn", sn, "stb_type", stbType, "device_id", deviceID, "device_id2", deviceID2,
		"ver", "ImageDescription: 0.2.18-r14", "auth_second_step", "1")
	return p.Status, p.ID
}

// TestDeviceOnlyLines checks imported MAG and Enigma2 lines (is_mag /
// is_e2) as XC-family panels treat them. XC_VM's player_api.php checks
// only admin_enabled, enabled and exp_date, so a device line signs in
// there (auth 1) as any line does; its MAG box still boots on the Stalker
// portal by MAC with its locked ids, and an Enigma2 line keeps its
// username and password for the XC plugins on the box. (XC_VM refuses
// device lines on get.php and a MAG line's /live/ outside the portal with
// DEVICE_NOT_ALLOWED; Canale does not, see the report of issue 19.)
func TestDeviceOnlyLines(t *testing.T) {
	srv := testmariadb.Start(t)

	t.Run("xc", func(t *testing.T) {
		x := newXC(t, srv, "xc_devlines", 2, 0)
		x.exec(t, `UPDATE users SET is_e2 = 1 WHERE id = 1000`) // line1000: an Enigma2 line; alice (1) is is_mag with box 1
		c := newCanale(t)
		run(t, x, c, importxc.Options{})
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
	})
}
