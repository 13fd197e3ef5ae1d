package resellerpanel_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"canale/shared/api"
)

// TestPanelMACProbing: a reseller adding other resellers' customers' MACs
// to its own line, to learn which MACs exist and boot as them on the
// Stalker portal, is stopped after a few "taken" answers; a rival's adds
// are not affected.
func TestPanelMACProbing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, dealer := panelServer(t)
	u := signInPanel(t, srv, dealerLogin, dealerPassword)
	code, body := u.post("/reseller/lines", url.Values{"login": {"probe-line"}, "password": {"probe-password"},
		"package_id": {strconv.FormatInt(dealer.Packages[0].PackageID, 10)}})
	m := lineLink.FindStringSubmatch(body)
	if code != http.StatusCreated || m == nil {
		t.Fatalf("sell a line: %d %s", code, body)
	}
	line := "/reseller/lines/" + m[1]

	theirs := rivalLine(t, srv)
	for i := 0; i < 15; i++ {
		if _, err := srv.Admin.CreateDevice(ctx, api.Device{SubscriberID: theirs.ID, MAC: fmt.Sprintf("00:1A:79:00:10:%02X", i)}); err != nil {
			t.Fatal(err)
		}
	}
	var codes []int
	for i := 0; i < 15; i++ {
		code, _ := u.post(line+"/devices", url.Values{"mac": {fmt.Sprintf("00:1A:79:00:10:%02X", i)}})
		codes = append(codes, code)
	}
	for i, code := range codes {
		want := http.StatusConflict
		if i >= 10 {
			want = http.StatusTooManyRequests
		}
		if code != want {
			t.Fatalf("adds of 15 taken MACs answered %v; want 409 ten times, then 429", codes)
		}
	}
	if code, _ := u.post(line+"/devices", url.Values{"mac": {"00:1A:79:00:20:01"}}); code != http.StatusTooManyRequests {
		t.Errorf("a free MAC while waiting: %d, want 429", code)
	}

	r := signInPanel(t, srv, "rival", "rival-password")
	if code, _ := r.post("/reseller/lines/"+strconv.FormatInt(theirs.ID, 10)+"/devices", url.Values{"mac": {"00:1A:79:00:30:01"}}); code != http.StatusOK {
		t.Errorf("the rival adding a box meanwhile: %d, want 200", code)
	}
}
