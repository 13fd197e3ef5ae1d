package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestDevicePanelAddsLocksAndRemovesABox: in the subscriber form, staff add
// a MAG box by MAC, see the model, firmware and last-seen time its boot
// reported, lock it, unlock it, reset its lock and remove it, each on the
// server.
func TestDevicePanelAddsLocksAndRemovesABox(t *testing.T) {
	f := setup(t)
	sub := createSubscriber(t, f.srv.Admin, "alice")
	f.signInAdmin(t)
	s := screenOf[*subscribersScreen](t, f)
	f.ui(func() { s.form.show(sub) })
	f.w.pending.Wait()
	p := s.form.devices
	var o fyne.CanvasObject
	f.ui(func() {
		o = p.buildUI()
		test.Type(p.mac, "00-1a-79-12-34-56")
	})
	f.tap(t, o, "Add device")
	f.waitUI(t, "the device in the list", func() bool { return len(p.devices) == 1 })
	f.ui(func() {
		if p.devices[0].MAC != "00:1A:79:12:34:56" {
			t.Errorf("listed %+v", p.devices[0])
		}
		p.table.Select(widget.TableCellID{Row: 0, Col: 0})
	})
	bootBox(t, f.srv.URL, "00:1A:79:12:34:56")
	f.tap(t, o, "Lock") // reloads the list, now with what the boot reported
	f.waitUI(t, "the device locked", func() bool { return len(p.devices) == 1 && p.devices[0].Locked })
	got, err := f.srv.Admin.Devices(ctx(t), sub.ID)
	if err != nil || len(got) != 1 || !got[0].Locked || got[0].LastSeenAt == nil {
		t.Fatalf("on the server: %+v, %v; want one locked device, seen", got, err)
	}
	f.ui(func() {
		for col, want := range map[string]string{"Locked": "locked", "Model": "MAG254",
			"Firmware":  "ImageDescription: 0.2.18-r23-254; PORTAL version: 5.6.1",
			"Last seen": got[0].LastSeenAt.Local().Format("2006-01-02 15:04")} {
			if cell := cellText(p.table, 0, columnIndex(t, deviceColumns, col)); cell != want {
				t.Errorf("%s column: %q, want %q", col, cell, want)
			}
		}
	})
	f.ui(func() { p.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
	f.tap(t, o, "Unlock")
	f.waitUI(t, "the device unlocked", func() bool { return len(p.devices) == 1 && !p.devices[0].Locked })
	if got, err := f.srv.Admin.Devices(ctx(t), sub.ID); err != nil || len(got) != 1 || got[0].Locked {
		t.Fatalf("on the server after unlock: %+v, %v; want one unlocked device", got, err)
	}
	f.ui(func() {
		if cell := cellText(p.table, 0, columnIndex(t, deviceColumns, "Locked")); cell != "—" {
			t.Errorf("Locked column after unlock: %q", cell)
		}
	})
	f.ui(func() { p.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
	f.tap(t, o, "Reset lock")
	var outcome string
	f.ui(func() { outcome = p.outcome.Text })
	if outcome != "Lock reset: the box's next boot captures its ids again." {
		t.Fatalf("reset lock: %q", outcome)
	}
	f.ui(func() { p.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
	f.tap(t, o, "Remove device")
	f.tapDialog(t, "Delete")
	f.waitUI(t, "the list empty", func() bool { return len(p.devices) == 0 })
	if got, err := f.srv.Admin.Devices(ctx(t), sub.ID); err != nil || len(got) != 0 {
		t.Fatalf("on the server after remove: %+v, %v", got, err)
	}
}

// bootBox boots a MAG box with that MAC on the server's Stalker portal, as
// the box does at power-on: the handshake, then the profile with its model
// and firmware.
func bootBox(t *testing.T, base, mac string) {
	t.Helper()
	token := ""
	for _, q := range []url.Values{
		{"action": {"handshake"}, "token": {""}, "prehash": {"0"}},
		{"action": {"get_profile"}, "sn": {"062014N000001"}, "stb_type": {"MAG254"},
			"ver": {"ImageDescription: 0.2.18-r23-254; PORTAL version: 5.6.1"}, "auth_second_step": {"1"}},
	} {
		q.Set("type", "stb")
		q.Set("JsHttpRequest", "1-xml")
		req, err := http.NewRequest(http.MethodGet, base+"/c/portal.php?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Cookie", "mac="+url.QueryEscape(mac)+"; stb_lang=en; timezone=UTC")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			JS struct {
				Token  string `json:"token"`
				Status *int   `json:"status"`
			} `json:"js"`
		}
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", q.Get("action"), res.StatusCode, err)
		}
		if q.Get("action") == "handshake" {
			token = body.JS.Token
		} else if body.JS.Status == nil || *body.JS.Status != 0 {
			t.Fatalf("the box's profile: %+v, want status 0", body.JS)
		}
	}
}
