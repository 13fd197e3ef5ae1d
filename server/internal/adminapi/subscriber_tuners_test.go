package adminapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"canale/server/internal/hdhomerun"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestSubscriberTuners: the subscriber resource lists its tuners, the whole
// line-up's and one per package held, each with the URL and DeviceID the
// tuner's own discover.json gives, in single answers and in list pages.
// The owning reseller sees them; an operator, who may not read tokens,
// gets the package ids and DeviceIDs without a URL, and no token anywhere.
func TestSubscriberTuners(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	sub, err := b.srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "tuned", Password: "pw-tuned",
		PackageIDs: []int64{b.pkg, b.other}})
	if err != nil {
		t.Fatal(err)
	}
	wantTuners(t, "created", sub, b.srv.URL, []int64{b.pkg, b.other})
	page, err := b.srv.Admin.Subscribers(ctx, api.SubscriberFilter{}, api.ListParams{Query: "tuned"})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list: %+v, %v", page, err)
	}
	wantTuners(t, "list", page.Items[0], b.srv.URL, []int64{b.pkg, b.other})
	for _, tu := range sub.Tuners {
		var disc hdhomerun.Discover
		if res, body := get(t, tu.URL+"/discover.json"); res.StatusCode != http.StatusOK || json.Unmarshal(body, &disc) != nil {
			t.Fatalf("GET %s/discover.json: %d %s", tu.URL, res.StatusCode, body)
		}
		if disc.DeviceID != tu.DeviceID || disc.BaseURL != tu.URL {
			t.Errorf("tuner %+v: its discover.json says DeviceID %s at %s", tu, disc.DeviceID, disc.BaseURL)
		}
	}

	theirs, err := b.c2.Subscriber(ctx, b.theirs.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantTuners(t, "owning reseller", theirs, b.srv.URL, []int64{b.pkg})

	testserver.CreateAdmin(t, b.srv.Store, "noc", api.RoleOperator, "operator-password")
	noc := b.srv.SignIn(t, "noc", "operator-password")
	seen, err := noc.Subscriber(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen.Tuners) != 3 {
		t.Fatalf("operator: tuners %+v, want three without URLs", seen.Tuners)
	}
	for i, tu := range seen.Tuners {
		if tu.URL != "" || tu.DeviceID != sub.Tuners[i].DeviceID || !samePackage(tu.PackageID, sub.Tuners[i].PackageID) {
			t.Errorf("operator: tuner %d is %+v, want %+v without its URL", i, tu, sub.Tuners[i])
		}
	}
	for _, path := range []string{"/api/v1/subscribers/" + itoa(sub.ID), "/api/v1/subscribers?q=tuned"} {
		if code, body := getBody(t, b.srv.URL+path, noc.Token()); code != http.StatusOK || strings.Contains(body, sub.TunerToken) {
			t.Errorf("operator's GET %s: %d, want 200 without the tuner token: %s", path, code, body)
		}
	}
}

// wantTuners checks sub's tuners are the whole one, then one per package
// of pkgs in order, under base, each with a DeviceID of its own.
func wantTuners(t *testing.T, what string, sub api.Subscriber, base string, pkgs []int64) {
	t.Helper()
	if sub.TunerToken == "" || len(sub.Tuners) != 1+len(pkgs) {
		t.Fatalf("%s: tuners %+v, want the whole tuner and %d packages'", what, sub.Tuners, len(pkgs))
	}
	want := hdhomerun.TunerList(base, sub.TunerToken, pkgs)
	seen := map[string]bool{}
	for i, tu := range sub.Tuners {
		if tu.URL != want[i].URL || tu.DeviceID != want[i].DeviceID || !samePackage(tu.PackageID, want[i].PackageID) {
			t.Errorf("%s: tuner %d is %+v, want %+v", what, i, tu, want[i])
		}
		if seen[tu.DeviceID] || !hdhomerun.ValidDeviceID(hexID(t, tu.DeviceID)) {
			t.Errorf("%s: DeviceID %s repeated or failing the checksum", what, tu.DeviceID)
		}
		seen[tu.DeviceID] = true
	}
	wantURL := base + hdhomerun.Prefix + "/" + sub.TunerToken
	if sub.Tuners[0].URL != wantURL || sub.TunerURL != wantURL || sub.Tuners[1].URL != wantURL+"/p/"+itoa(pkgs[0]) {
		t.Errorf("%s: tuner URLs %+v, want %s and %s/p/%d…", what, sub.Tuners, wantURL, wantURL, pkgs[0])
	}
}

func samePackage(a, b *int64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// hexID reads a DeviceID as discover.json writes it.
func hexID(t *testing.T, s string) uint32 {
	t.Helper()
	n, err := strconv.ParseUint(s, 16, 32)
	if err != nil || len(s) != 8 {
		t.Fatalf("DeviceID %q is not eight hex digits", s)
	}
	return uint32(n)
}
