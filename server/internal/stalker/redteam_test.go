package stalker_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"canale/server/internal/playauth"
	"canale/shared/api"
)

// The attacks of this file are the ones an outsider, a subscriber or a
// clone of a box would try on the portal; each test performs one and checks
// it fails.

// send sends req with the header pairs and returns the status and body.
func send(t *testing.T, req *http.Request, header ...string) (int, string) {
	t.Helper()
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// TestScanGuardIgnoresForgedForwarding: a scanner rotating X-Forwarded-For
// and X-Real-IP is still one address. Without a trusted proxy both headers
// are ignored; behind one, only the address the proxy appended counts, not
// what the client wrote before it.
func TestScanGuardIgnoresForgedForwarding(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string
		forward func(i int) string
	}{
		{"no trusted proxy", nil, func(i int) string { return fmt.Sprintf("198.51.100.%d", i) }},
		{"behind a trusted proxy", []string{"--trusted-proxies", "127.0.0.1"},
			func(i int) string { return fmt.Sprintf("198.51.100.%d, 203.0.113.66", i) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPortal(t, c.args...)
			p.device(t, "alice", aliceMAC, false)
			call := func(i int, mac string) string {
				req, _ := http.NewRequest(http.MethodGet, p.srv.URL+"/portal.php?type=stb&action=get_profile&JsHttpRequest=1-xml", nil)
				_, body := send(t, req, "Cookie", "mac="+url.QueryEscape(mac), "Authorization", "Bearer "+strings.Repeat("AB", 16),
					"X-Forwarded-For", c.forward(i), "X-Real-IP", fmt.Sprintf("192.0.2.%d", i))
				return body
			}
			for i := 0; i < 20; i++ {
				if body := call(i, fmt.Sprintf("00:1A:79:66:00:%02X", i)); !strings.Contains(body, `"status":1`) {
					t.Fatalf("unknown MAC %d: %q", i, body)
				}
			}
			if body := call(99, aliceMAC); body != "Access denied." {
				t.Fatalf("after 20 unknown MACs under 20 forged addresses: %q, want the scanner refused", body)
			}
		})
	}
}

// TestMACCookieEncodings: every spelling of a MAC a box or a scanner may
// send (case, %3A, dashes, bare digits, spaces around) is the one device,
// so no spelling is a second identity; a 13-digit or spaced-out value is no
// MAC and gets no session. Another box's token under my MAC is refused.
func TestMACCookieEncodings(t *testing.T) {
	p := newPortal(t)
	p.device(t, "alice", aliceMAC, false)
	p.device(t, "bob", "00:1A:79:00:00:BB", false)
	b := newBox(t, p.srv.URL, aliceMAC)
	if pr := b.boot(); pr.Status != 0 {
		t.Fatalf("boot: %+v", pr)
	}
	call := func(cookie, token string) string {
		req, _ := http.NewRequest(http.MethodGet, p.srv.URL+"/portal.php?type=itv&action=get_genres&JsHttpRequest=1-xml", nil)
		_, body := send(t, req, "Cookie", "mac="+cookie, "Authorization", "Bearer "+token)
		return body
	}
	for _, same := range []string{"00:1a:79:12:34:56", "00%3A1A%3A79%3A12%3A34%3A56", "00%3a1a%3a79%3a12%3a34%3a56",
		"00-1A-79-12-34-56", "001A79123456", "%2000:1A:79:12:34:56%20", `"00:1A:79:12:34:56"`} {
		if body := call(same, b.token); !strings.HasPrefix(body, `{"js":`) {
			t.Errorf("cookie %q with the box's token: %q, want the same device", same, body)
		}
	}
	for _, bad := range []string{"00:1A:79:12:34:567", "00:1A:79:12:34:5", "00 1A 79 12 34 56", "00:1A:79:12:34:56%00",
		"00%3A1A%3A79%3A12%3A34%3A5G", strings.Repeat("0", 4000)} {
		if body := call(bad, b.token); body != "Authorization failed." {
			t.Errorf("cookie %q: %q, want no session", bad, body)
		}
	}
	bob := newBox(t, p.srv.URL, "00:1A:79:00:00:BB")
	if pr := bob.boot(); pr.Status != 0 {
		t.Fatalf("bob: %+v", pr)
	}
	if body := call(aliceMAC, bob.token); body != "Authorization failed." {
		t.Errorf("bob's token under alice's MAC: %q, want refused", body)
	}
	if body := call("00:1A:79:00:00:BB", b.token); body != "Authorization failed." {
		t.Errorf("alice's token under bob's MAC: %q, want refused", body)
	}
}

// TestCreateLinkTricks: create_link of a channel outside the subscriber's
// packages is refused however its cmd names it (by id, after path tricks,
// escaped, by name, by another surface's URL form), and a cmd naming an
// allowed channel links that channel alone, whatever follows it.
func TestCreateLinkTricks(t *testing.T) {
	p := newPortal(t)
	secret, err := p.srv.Admin.CreateChannel(t.Context(), api.ChannelCreate{Name: "secret", Title: "Secret", Number: 99,
		Sources: []api.Source{{URL: "udp://239.0.0.9:1234"}}})
	if err != nil {
		t.Fatal(err)
	}
	p.reload(t)
	p.device(t, "alice", aliceMAC, false)
	b := newBox(t, p.srv.URL, aliceMAC)
	if pr := b.boot(); pr.Status != 0 {
		t.Fatalf("boot: %+v", pr)
	}
	id := fmt.Sprint(secret.ID)
	for _, cmd := range []string{
		"ffmpeg http://localhost/ch/" + id + "_",
		"ffmpeg http://localhost/ch/" + id,
		"ffmpeg http://localhost/ch/../ch/" + id + "_",
		"ffmpeg http://localhost/ch/%2e%2e/ch/" + id + "_",
		"ffmpeg http://localhost/ch/secret_",
		"ffmpeg http://localhost/ch/" + url.PathEscape("../secret") + "_",
		"ffmpeg " + p.srv.URL + "/live/alice/" + password + "/" + id + ".ts",
		"ffmpeg " + p.srv.URL + "/secret/mpegts?token=tok-alice",
		id,
	} {
		var l link
		b.js(&l, "itv", "create_link", "cmd", cmd)
		if l.Error != "access_denied" || l.Cmd != "" {
			t.Errorf("create_link %q = %+v, want access_denied", cmd, l)
		}
	}
	var first listPage
	b.js(&first, "itv", "get_ordered_list", "p", "1")
	var l link
	b.js(&l, "itv", "create_link", "cmd", first.Data[0].Cmd+"/../ch/"+id+"_")
	if l.ID != first.Data[0].ID || strings.Contains(l.Cmd, "/secret/") {
		t.Errorf("create_link of an allowed cmd followed by the secret channel = %+v, want the allowed channel", l)
	}
}

// TestOversizedRequests: a portal call's memory is bounded by the engine's
// limits whatever the caller sends: a 60 KiB query of thousands of
// parameters is answered as usual (its first parameters are read, see
// TestQueryDecodeIsBounded), headers past 64 KiB are refused, and a
// form body past 64 KiB is not read (its action is not honoured), nor is a
// multipart body spooled to disk.
func TestOversizedRequests(t *testing.T) {
	p := newPortal(t)
	p.device(t, "alice", aliceMAC, false)
	b := newBox(t, p.srv.URL, aliceMAC)
	if pr := b.boot(); pr.Status != 0 {
		t.Fatalf("boot: %+v", pr)
	}
	do := func(req *http.Request) (int, string) {
		t.Helper()
		return send(t, req, "Cookie", "mac="+url.QueryEscape(aliceMAC), "Authorization", "Bearer "+b.token)
	}
	pad := strings.Repeat("x=1&", 15000) // 60,000 bytes, 15,000 parameters
	req, _ := http.NewRequest(http.MethodGet, b.base+"?type=itv&action=get_genres&JsHttpRequest=1-xml&"+pad, nil)
	if code, body := do(req); code != http.StatusOK || !strings.Contains(body, `"title":"All"`) {
		t.Errorf("60 KiB query: %d %.80s", code, body)
	}
	req, _ = http.NewRequest(http.MethodGet, b.base+"?type=itv&action=get_genres&"+strings.Repeat("y=1&", 20000), nil)
	if code, _ := do(req); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("80 KiB query: %d, want 431", code)
	}
	form := strings.Repeat("z=1&", 1<<18) + "type=itv&action=get_genres" // 1 MiB, the action at its end
	req, _ = http.NewRequest(http.MethodPost, b.base, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if code, body := do(req); strings.Contains(body, `"title":"All"`) {
		t.Errorf("1 MiB form: %d %.80s, want its action not read", code, body)
	}
	req, _ = http.NewRequest(http.MethodPost, b.base+"?JsHttpRequest=1-xml", strings.NewReader(
		"--b\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nitv\r\n--b\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nget_genres\r\n--b--\r\n"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	if code, body := do(req); strings.Contains(body, `"title":"All"`) {
		t.Errorf("multipart form: %d %.80s, want it not parsed", code, body)
	}
	// The box still works.
	var genres []any
	b.js(&genres, "itv", "get_genres")
}

// TestSessionRefusals: a call without a token, with a malformed one, or
// after the account expired gets no answer but the sign-in or cut-off
// body, whichever JsHttpRequest form it uses.
func TestSessionRefusals(t *testing.T) {
	p := newPortal(t)
	p.device(t, "bob", "00:1A:79:00:00:BB", false)
	b := newBox(t, p.srv.URL, "00:1A:79:00:00:BB")
	if pr := b.boot(); pr.Status != 0 {
		t.Fatalf("boot: %+v", pr)
	}
	good := b.token
	for _, tok := range []string{"", " ", "Bearer", strings.ToLower(good) + "0", good[:31], "%00" + good} {
		b.token = tok
		if body := b.call("itv", "get_genres"); body != "Authorization failed." {
			t.Errorf("token %q: %q, want the sign-in body", tok, body)
		}
	}
	b.token = good
	for _, v := range []string{"1-xml", "1-json", "", "0-"} {
		q := url.Values{"type": {"itv"}, "action": {"get_genres"}}
		if v != "" {
			q.Set("JsHttpRequest", v)
		}
		req, _ := http.NewRequest(http.MethodGet, b.base+"?"+q.Encode(), nil)
		_, body := send(t, req, "Cookie", "mac=00%3A1A%3A79%3A00%3A00%3ABB", "Authorization", "Bearer "+good)
		if !strings.Contains(body, `"title":"All"`) {
			t.Errorf("JsHttpRequest=%q: %.80s, want the genres", v, body)
		}
	}
	past := time.Now().Add(-time.Minute)
	p.update(t, "bob", api.SubscriberUpdate{ExpiresAt: &past})
	p.reload(t)
	for _, action := range []string{"get_genres", "create_link", "get_ordered_list"} {
		if body := b.call("itv", action, "cmd", "ffmpeg http://localhost/ch/1_"); body != "Access denied." {
			t.Errorf("expired account's box, %s: %q, want the cut-off body", action, body)
		}
	}
}

// TestMintedLinkIPv6Prefix: a minted link is bound to the asker's /64, the
// unit every Canale limit counts an IPv6 address in: another address of
// the same /64 plays it, one of another /64 does not.
func TestMintedLinkIPv6Prefix(t *testing.T) {
	p := newPortal(t)
	tok := playauth.MintLink(p.secret, playauth.MintedLink{SubscriberID: p.subs["alice"].ID, DeviceID: 1,
		ChannelID: 1, Expires: time.Now().Add(30 * time.Second)}, "2001:db8:1:2::10")
	for _, c := range []struct {
		ip   string
		want int
	}{{"2001:db8:1:3::10", http.StatusForbidden}, {"2001:db8:1:2:ffff::1", http.StatusOK}, {"2001:db8:1:2::10", http.StatusOK}} {
		if code := p.auth(t, "ch01", tok, c.ip, "s-"+c.ip); code != c.want {
			t.Errorf("link minted for 2001:db8:1:2::10 played from %s: %d, want %d", c.ip, code, c.want)
		}
	}
}
