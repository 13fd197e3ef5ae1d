package resellerpanel_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

// TestResellerReadsNoOtherDevices: a reseller can neither see another
// reseller's line page with its boxes' MACs in the panel nor reach the
// device routes of the admin API, which are staff-only, with its token.
func TestResellerReadsNoOtherDevices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, _ := panelServer(t)
	theirs := rivalLine(t, srv)
	const mac = "00:1A:79:4C:4C:4C"
	box, err := srv.Admin.CreateDevice(ctx, api.Device{SubscriberID: theirs.ID, MAC: mac})
	if err != nil {
		t.Fatal(err)
	}

	u := signInPanel(t, srv, dealerLogin, dealerPassword)
	if code, body := u.get("/reseller/lines/" + strconv.FormatInt(theirs.ID, 10)); code != http.StatusNotFound ||
		strings.Contains(body, mac) || strings.Contains(body, "rival-line") {
		t.Errorf("panel GET of the rival's line: %d, want 404 without its box", code)
	}
	// A search echoes its words; it must find no line of the rival's.
	for _, q := range []string{"rival", url.QueryEscape(mac)} {
		if code, body := u.get("/reseller/lines?q=" + q); code != http.StatusOK || strings.Contains(body, "rival-line") ||
			strings.Contains(body, `href="/reseller/lines/`+strconv.FormatInt(theirs.ID, 10)+`"`) {
			t.Errorf("panel search %q: %d, shows the rival's line", q, code)
		}
	}

	api1 := client.New(srv.URL, nil)
	if _, err := api1.LoginReseller(ctx, dealerLogin, dealerPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := api1.Devices(ctx, theirs.ID); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("reseller lists devices through the API: %v, want forbidden", err)
	}
	if _, err := api1.Device(ctx, box.ID); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("reseller reads a device through the API: %v, want forbidden", err)
	}
	if _, err := api1.ResetDeviceLock(ctx, box.ID); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("reseller resets a lock through the API: %v, want forbidden", err)
	}
	if _, err := api1.CreateDevice(ctx, api.Device{SubscriberID: theirs.ID, MAC: "00:1A:79:4C:4C:4D"}); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("reseller adds a device through the API: %v, want forbidden", err)
	}
	if code, _ := u.get("/api/v1/devices?subscriber_id=" + strconv.FormatInt(theirs.ID, 10)); code != http.StatusUnauthorized {
		t.Errorf("the panel's cookie on the API: %d, want 401", code)
	}
}

// rivalLine makes a second reseller, "rival" (password rival-password),
// and a line of its own, rival-line.
func rivalLine(t *testing.T, srv *testserver.Server) api.Subscriber {
	t.Helper()
	ctx := context.Background()
	rival, err := srv.Admin.CreateReseller(ctx, api.Reseller{Login: "rival", Password: "rival-password"})
	if err != nil {
		t.Fatal(err)
	}
	line, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "rival-line", Password: "pw", ResellerID: &rival.ID})
	if err != nil {
		t.Fatal(err)
	}
	return line
}
