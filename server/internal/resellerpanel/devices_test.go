package resellerpanel_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"canale/shared/api"
)

// TestPanelDevices: a reseller adds a MAG box to its line by MAC, locks it,
// resets its lock and removes it, each in its activity log; another
// reseller's line and device answer not found and stay as they were.
func TestPanelDevices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, dealer := panelServer(t)
	u := signInPanel(t, srv, dealerLogin, dealerPassword)
	code, body := u.post("/reseller/lines", url.Values{"login": {"dave-line"}, "password": {"dave-password"},
		"package_id": {strconv.FormatInt(dealer.Packages[0].PackageID, 10)}})
	m := lineLink.FindStringSubmatch(body)
	if code != http.StatusCreated || m == nil {
		t.Fatalf("sell a line: %d %s", code, body)
	}
	line := "/reseller/lines/" + m[1]
	lineID, _ := strconv.ParseInt(m[1], 10, 64)

	other, err := srv.Admin.CreateReseller(ctx, api.Reseller{Login: "rival", Password: "rival-password"})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "rival-line", Password: "pw", ResellerID: &other.ID})
	if err != nil {
		t.Fatal(err)
	}
	theirBox, err := srv.Admin.CreateDevice(ctx, api.Device{SubscriberID: theirs.ID, MAC: "00:1A:79:00:00:99"})
	if err != nil {
		t.Fatal(err)
	}

	if code, body = u.post(line+"/devices", url.Values{"mac": {"not-a-mac"}}); code != http.StatusBadRequest || !strings.Contains(body, "mac: ") {
		t.Errorf("add a bad MAC: %d, want 400 naming mac", code)
	}
	if code, _ = u.post(line+"/devices", url.Values{"mac": {"00-1a-79-aa-bb-cc"}, "csrf": {"forged"}}); code != http.StatusForbidden {
		t.Errorf("add with a forged csrf: %d, want 403", code)
	}
	if code, body = u.post(line+"/devices", url.Values{"mac": {"00-1a-79-aa-bb-cc"}}); code != http.StatusOK ||
		!strings.Contains(body, `data-mac="00:1A:79:AA:BB:CC"`) || !strings.Contains(body, "not locked") {
		t.Fatalf("add a box: %d, want it on the line page, not locked: %s", code, body)
	}
	boxes, err := srv.Admin.Devices(ctx, lineID)
	if err != nil || len(boxes) != 1 {
		t.Fatalf("devices of the line on the server: %+v, %v", boxes, err)
	}
	box := "/devices/" + strconv.FormatInt(boxes[0].ID, 10)
	if code, body = u.post(line+box+"/lock", url.Values{"locked": {"on"}}); code != http.StatusOK || !strings.Contains(body, "· locked") {
		t.Errorf("lock: %d, want the box locked", code)
	}
	if code, _ = u.post(line+box+"/reset-lock", url.Values{}); code != http.StatusOK {
		t.Errorf("reset the lock: %d", code)
	}

	// Someone else's: through my line's URL, or on their line.
	their := "/devices/" + strconv.FormatInt(theirBox.ID, 10)
	theirLine := "/reseller/lines/" + strconv.FormatInt(theirs.ID, 10)
	for _, path := range []string{line + their + "/lock", line + their + "/reset-lock", line + their + "/delete",
		theirLine + "/devices", theirLine + their + "/delete"} {
		if code, _ = u.post(path, url.Values{"locked": {"on"}, "mac": {"00:1A:79:00:00:98"}}); code != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", path, code)
		}
	}
	if now, err := srv.Admin.Device(ctx, theirBox.ID); err != nil || now.Version != theirBox.Version || now.Locked {
		t.Errorf("their device after the attempts: %+v, %v; want it unchanged", now, err)
	}
	if got, _ := srv.Admin.Devices(ctx, theirs.ID); len(got) != 1 {
		t.Errorf("their line has %d devices, want 1", len(got))
	}

	if code, body = u.post(line+box+"/delete", url.Values{}); code != http.StatusOK || strings.Contains(body, "data-mac=") {
		t.Errorf("remove: %d, want the line without devices", code)
	}
	_, body = u.get("/reseller/logs")
	for _, what := range []string{"create device", "update device", "reset_lock device", "delete device"} {
		if !strings.Contains(body, what) {
			t.Errorf("activity log: want %q in it", what)
		}
	}
}
