package stalker_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/server/internal/playauth"
	"canale/shared/api"
)

// TestProfileStatuses gives each kind of box the status it shows (§2.2):
// an unknown MAC, a banned account and a lock mismatch the same generic
// status 1, an expired or disabled account a status 1 that says so; none
// of them gets a session.
func TestProfileStatuses(t *testing.T) {
	p := newPortal(t)
	p.device(t, "expired", "00:1A:79:00:00:01", false)
	p.device(t, "disabled", "00:1A:79:00:00:02", false)
	p.device(t, "banned", "00:1A:79:00:00:03", false)
	const generic = "Please contact your provider to register this device."
	for _, c := range []struct{ mac, msg string }{
		{"00:1A:79:FF:FF:FF", generic}, // unknown
		{"not-a-mac", generic},
		{"00:1A:79:00:00:01", "Your subscription has expired."},
		{"00:1A:79:00:00:02", "Your account is disabled."},
		{"00:1A:79:00:00:03", generic},
	} {
		b := newBox(t, p.srv.URL, c.mac)
		if pr := b.boot(); pr.Status != 1 || pr.BlockMsg != c.msg {
			t.Errorf("%s: profile %+v, want status 1 with %q", c.mac, pr, c.msg)
		}
		if body := b.call("itv", "get_genres"); body != "Authorization failed." {
			t.Errorf("%s: a refused box called get_genres: %q", c.mac, body)
		}
	}

	// A box that booted, then its account was disabled: cut off at once.
	p.device(t, "bob", "00:1A:79:00:00:04", false)
	b := newBox(t, p.srv.URL, "00:1A:79:00:00:04")
	if pr := b.boot(); pr.Status != 0 {
		t.Fatalf("bob's box: %+v", pr)
	}
	p.update(t, "bob", api.SubscriberUpdate{Status: ptr("disabled")})
	p.reload(t)
	if body := b.call("itv", "get_genres"); body != "Access denied." {
		t.Fatalf("disabled account's box answered %q, want the cut-off body", body)
	}
}

// TestLockedDevice refuses a locked device whose box sends another serial,
// as a cloned MAC does, and boots it again after the operator resets the
// lock.
func TestLockedDevice(t *testing.T) {
	p := newPortal(t)
	dev := p.device(t, "alice", aliceMAC, true)
	b := newBox(t, p.srv.URL, aliceMAC)
	if pr := b.boot(); pr.Status != 0 { // the first boot captures the ids
		t.Fatalf("first boot of a locked device: %+v", pr)
	}
	clone := newBox(t, p.srv.URL, aliceMAC)
	clone.sn = "062014N999999"
	if pr := clone.boot(); pr.Status != 1 || pr.BlockMsg != "Please contact your provider to register this device." {
		t.Fatalf("clone with another serial: %+v, want the generic status 1", pr)
	}
	if body := clone.call("itv", "get_genres"); body != "Authorization failed." {
		t.Fatalf("the clone's handshake token works: %q", body)
	}
	if pr := b.boot(); pr.Status != 0 {
		t.Fatalf("the real box after the clone: %+v", pr)
	}
	if _, err := p.srv.Store.ResetDeviceLock(t.Context(), api.SystemActor("test"), dev.ID); err != nil {
		t.Fatal(err)
	}
	if pr := clone.boot(); pr.Status != 0 {
		t.Fatalf("new box after a lock reset: %+v", pr)
	}
	got, err := p.srv.Store.FindDeviceByID(t.Context(), dev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Serial != "062014N999999" || !got.Locked {
		t.Fatalf("after reset and boot: %+v, want the new serial captured and still locked", got)
	}
	if pr := b.boot(); pr.Status != 1 {
		t.Fatalf("the old box after the lock moved on: %+v", pr)
	}
}

// auth asks the Flussonic auth endpoint about token for stream name, as an
// edge reporting viewer ip and session.
func (p *portal) auth(t *testing.T, name, token, ip, session string) int {
	t.Helper()
	q := url.Values{"name": {name}, "token": {token}, "ip": {ip}, "proto": {"mpegts"},
		"request_type": {"new_session"}, "session_id": {session}}
	res, err := http.Get(p.srv.URL + playauth.AuthPath(p.secret) + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestMintedLinkExpiresAndBindsAddress: a create_link URL plays from the
// address that asked, not from another; once expired it opens no new
// session, while the session it opened keeps renewing.
func TestMintedLinkExpiresAndBindsAddress(t *testing.T) {
	p := newPortal(t)
	p.device(t, "alice", aliceMAC, false)
	b := newBox(t, p.srv.URL, aliceMAC)
	b.boot()
	var l link
	b.js(&l, "itv", "create_link", "cmd", "ffmpeg http://localhost/ch/0_")
	var first listPage
	b.js(&first, "itv", "get_ordered_list", "p", "1")
	b.js(&l, "itv", "create_link", "cmd", first.Data[0].Cmd)
	u, err := url.Parse(l.url())
	if err != nil {
		t.Fatal(err)
	}
	token := u.Query().Get("token")
	if code := p.auth(t, "ch01", token, "203.0.113.9", "s-other"); code != http.StatusForbidden {
		t.Fatalf("minted link from another address: %d, want 403", code)
	}
	if code := p.auth(t, "ch02", token, "127.0.0.1", "s-other-channel"); code != http.StatusForbidden {
		t.Fatalf("minted link for another channel: %d, want 403", code)
	}
	if code := p.auth(t, "ch01", token+"x", "127.0.0.1", "s-forged"); code != http.StatusForbidden {
		t.Fatalf("altered minted link: %d, want 403", code)
	}

	// A link minted to expire in a second (the server's own key and form).
	short := playauth.MintLink(p.secret, playauth.MintedLink{SubscriberID: p.subs["alice"].ID, DeviceID: 1,
		ChannelID: first.Data[0].ID, Expires: time.Now().Add(time.Second)}, "127.0.0.1")
	if code := p.auth(t, "ch01", short, "127.0.0.1", "s-kept"); code != http.StatusOK {
		t.Fatalf("fresh minted link: %d, want 200", code)
	}
	time.Sleep(1100 * time.Millisecond)
	if code := p.auth(t, "ch01", short, "127.0.0.1", "s-late"); code != http.StatusForbidden {
		t.Fatalf("expired minted link opened a new session: %d, want 403", code)
	}
	q := url.Values{"name": {"ch01"}, "token": {short}, "ip": {"127.0.0.1"}, "proto": {"mpegts"},
		"request_type": {"update_session"}, "session_id": {"s-kept"}}
	res, err := http.Get(p.srv.URL + playauth.AuthPath(p.secret) + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the session opened in time stopped renewing: %d, want 200", res.StatusCode)
	}
}

// TestSessionLimitAcrossMAGAndXC: a subscriber allowed one session who
// watches on a MAG box cannot open a second on an XC app. The other orders,
// and the tuner, are app's TestSessionLimitAcrossMAGXCAndTuner.
func TestSessionLimitAcrossMAGAndXC(t *testing.T) {
	p := newPortal(t)
	p.update(t, "alice", api.SubscriberUpdate{MaxSessions: ptr(1)})
	p.reload(t)
	p.device(t, "alice", aliceMAC, false)
	b := newBox(t, p.srv.URL, aliceMAC)
	b.boot()
	var first listPage
	b.js(&first, "itv", "get_ordered_list", "p", "1")
	var l link
	b.js(&l, "itv", "create_link", "cmd", first.Data[0].Cmd)
	if code := play(t, redirect(t, l.url())); code != http.StatusOK {
		t.Fatalf("MAG play: %d", code)
	}
	// The XC app's stream URL, as player_api.php's clients build it.
	xc := redirect(t, redirect(t, p.srv.URL+"/live/alice/"+password+"/"+itoa(first.Data[1].ID)+".ts"))
	if code := play(t, xc); code != http.StatusForbidden {
		t.Fatalf("XC play beside the MAG session: %d, want 403 (limit 1)", code)
	}
	if !strings.Contains(xc, "tok-alice") {
		t.Fatalf("XC URL %q does not carry the subscriber token", xc)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// redirect follows one 302 and returns its Location.
func redirect(t *testing.T, u string) string {
	t.Helper()
	res, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		t.Fatalf("GET %s: %d, want 302", u, res.StatusCode)
	}
	return res.Header.Get("Location")
}
