package adminapi_test

import (
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"canale/shared/api"
	"canale/shared/client"
)

// TestResellerRulesAndTrials: the operator's rules round-trip through the
// typed client, and a reseller's trials stop at the quota.
func TestResellerRulesAndTrials(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	if _, err := b.c1.CreateTrial(ctx, api.TrialRequest{Login: "try-1", Password: "try-pass"}); api.ErrorCode(err) != api.CodeForbidden {
		t.Fatalf("trial before the operator allows any: got %v, want forbidden", err)
	}
	rules := api.DefaultResellerRules(b.one.ID)
	rules.TrialsPerDay, rules.TrialsPerMonth, rules.TrialPackageID, rules.TrialHours = 1, 5, &b.other, 3
	rules.DNS = "https://tv.one.example:8443"
	saved, err := b.srv.Admin.SetResellerRules(ctx, rules)
	if err != nil || !reflect.DeepEqual(saved, rules) {
		t.Fatalf("set rules: got %+v, %v; want %+v", saved, err, rules)
	}
	if mine, err := b.c1.MyRules(ctx); err != nil || mine.TrialsPerDay != 1 {
		t.Errorf("reseller reads its rules: got %+v, %v", mine, err)
	}
	bad := rules
	bad.DNS = "tv.example/path"
	if _, err := b.srv.Admin.SetResellerRules(ctx, bad); api.ErrorCode(err) != api.CodeInvalid {
		t.Errorf("a DNS with a path: got %v, want invalid", err)
	}
	tr, err := b.c1.CreateTrial(ctx, api.TrialRequest{Login: "try-1", Password: "try-pass"})
	if err != nil || !tr.Trial {
		t.Fatalf("trial: got %+v, %v", tr, err)
	}
	if !strings.HasPrefix(tr.PlaylistURL, "https://tv.one.example:8443/") {
		t.Errorf("trial's playlist link: got %q, want it on the reseller's DNS", tr.PlaylistURL)
	}
	// The playlist itself, fetched from the server's own address, carries the DNS.
	path := tr.PlaylistURL[strings.Index(tr.PlaylistURL[len("https://"):], "/")+len("https://"):]
	var m3u string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, m3u = call(t, http.MethodGet, b.srv.URL+path, "", ""); strings.Contains(m3u, "https://tv.one.example:8443/") {
			break
		}
	}
	if !strings.Contains(m3u, `url-tvg="https://tv.one.example:8443/`) {
		t.Errorf("GET %s: got %q, want its guide link on the reseller's DNS", path, m3u)
	}
	if _, err := b.c1.CreateTrial(ctx, api.TrialRequest{Login: "try-2", Password: "try-pass"}); api.ErrorCode(err) != api.CodeConflict {
		t.Errorf("second trial today with a quota of 1: got %v, want conflict", err)
	}
	if c := credits(t, b, b.one.ID); c != 1000 {
		t.Errorf("credits after a trial: got %v, want 1000 (10.00)", c)
	}
	actPage, err := b.srv.Admin.ResellerActivity(ctx, b.one.ID, api.ListParams{Limit: 10})
	act := actPage.Items
	if err != nil || len(act) == 0 || act[0].Entity != "subscriber" || act[0].ActorLogin != "one" || act[0].ClientIP == "" {
		t.Errorf("activity: got %+v, %v; want the trial first, by one, with its address", act, err)
	}
}

// TestSubResellerWalk signs in as a sub-reseller and calls every route with
// the ids of resellers and lines outside its subtree: nothing answers 2xx,
// and nothing outside changes.
func TestSubResellerWalk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	rules := api.DefaultResellerRules(b.one.ID)
	rules.MayCreateResellers, rules.MaxDepth = true, 1
	if _, err := b.srv.Admin.SetResellerRules(ctx, rules); err != nil {
		t.Fatal(err)
	}
	parentLine := mine(t, b, "parent-line")
	kid, err := b.c1.CreateSubReseller(ctx, api.Reseller{Login: "kid", Password: "kid-password", CreditsMinor: 400,
		Packages: []api.ResellerPackage{{PackageID: b.pkg, PriceCreditsMinor: 300}}})
	if err != nil {
		t.Fatal(err)
	}
	kc := client.New(b.srv.URL, nil)
	if _, err := kc.LoginReseller(ctx, "kid", "kid-password"); err != nil {
		t.Fatal(err)
	}
	kidLine, err := kc.CreateSubscriber(ctx, api.Subscriber{Login: "kid-line", Password: "kid-line-pw", PackageIDs: []int64{b.pkg}})
	if err != nil {
		t.Fatal(err)
	}
	if c1, ck := credits(t, b, b.one.ID), credits(t, b, kid.ID); c1 != 400 || ck != 100 {
		t.Errorf("credits: parent %v (10-2-4), kid %v (4-3); want 400 and 100", c1, ck)
	}
	if _, err := b.c1.TransferCredits(ctx, kid.ID, api.CreditTransfer{DeltaMinor: -100}); err != nil {
		t.Fatal(err)
	}
	if c1, ck := credits(t, b, b.one.ID), credits(t, b, kid.ID); c1 != 500 || ck != 0 {
		t.Errorf("after taking 1 back: parent %v, kid %v; want 500 and 0", c1, ck)
	}
	lines, err := b.c1.SubResellerLines(ctx, kid.ID, api.ListParams{})
	if err != nil || len(lines.Items) != 1 || lines.Items[0].ID != kidLine.ID {
		t.Errorf("parent reads the kid's lines: got %+v, %v", lines.Items, err)
	}
	if _, err := b.c1.ExtendSubscriber(ctx, kidLine.ID, api.ExtendRequest{PackageID: b.pkg}); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("parent extends the kid's line: got %v, want not_found (read-only)", err)
	}

	before := map[int64]int64{b.one.ID: credits(t, b, b.one.ID), b.two.ID: credits(t, b, b.two.ID)}
	foreign := []string{itoa(b.one.ID), itoa(b.two.ID), itoa(parentLine.ID), itoa(b.theirs.ID)}
	for _, r := range apiRoutes(t, b.srv) {
		if !strings.Contains(r[1], "/1") || strings.HasPrefix(r[1], "/api/v1/auth/") {
			continue
		}
		for _, id := range foreign {
			path := strings.Replace(r[1], "/1", "/"+id, 1)
			// An empty body and one every write route would accept, so a
			// refusal is not just a validation error.
			for _, in := range []string{"{}", walkBody} {
				code, body := call(t, r[0], b.srv.URL+path, kc.Token(), strings.ReplaceAll(in, "PKG", itoa(b.pkg)))
				if code < 300 {
					t.Errorf("kid %s %s: got %d %s, want a refusal", r[0], path, code, body)
				}
			}
		}
	}
	for _, path := range []string{"/api/v1/subscribers", "/api/v1/me/sub-resellers", "/api/v1/me/credit-log", "/api/v1/me/activity"} {
		_, body := call(t, http.MethodGet, b.srv.URL+path, kc.Token(), "")
		for _, secret := range []string{"secret-sub", "parent-line", `"login":"one"`, `"login":"two"`} {
			if strings.Contains(body, secret) {
				t.Errorf("kid GET %s shows %q: %s", path, secret, body)
			}
		}
	}
	for id, c := range before {
		if got := credits(t, b, id); got != c {
			t.Errorf("reseller %d's credits changed in the walk: %v, was %v", id, got, c)
		}
	}
	for _, sub := range []api.Subscriber{parentLine, b.theirs} {
		now, err := b.srv.Admin.Subscriber(ctx, sub.ID)
		if err != nil || now.Version != sub.Version {
			t.Errorf("subscriber %s changed in the walk: version %d, was %d (%v)", sub.Login, now.Version, sub.Version, err)
		}
	}
}

func call(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

const walkBody = `{"delta_minor": 100, "reason": "walk", "package_id": PKG, "version": 1, "notes": "walk",
	"status": "disabled", "login": "walker", "password": "walker-password", "trials_per_day": 1,
	"trials_per_month": 1, "trial_hours": 1, "min_login_length": 1, "min_password_length": 1, "trial_package_id": PKG}`
