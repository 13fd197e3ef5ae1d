package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"canale/server/internal/playauth"
	"canale/server/internal/store"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

// playFixture is a server with channel ch1 in package Basic, and a play
// check on ch1 that opens a new session with each call.
type playFixture struct {
	srv   *testserver.Server
	basic int64 // the package's id
	n     int
	path  string
}

func startPlayFixture(t *testing.T) *playFixture {
	t.Helper()
	srv := testserver.Start(t)
	ctx := t.Context()
	settings, err := srv.Store.FindSettings(ctx, api.SystemActor("test")) // generates the streamer secret
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.Seed(ctx, store.Seed{Channels: []store.SeedChannel{{Name: "ch1", Title: "One", Number: 1}},
		Packages: []store.SeedPackage{{Name: "Basic", Channels: []string{"ch1"}}}}); err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Catalog().Load(ctx); err != nil {
		t.Fatal(err)
	}
	f := &playFixture{srv: srv, path: srv.URL + playauth.AuthPath(settings.StreamerSecret)}
	for _, p := range srv.App.Catalog().Packages() {
		f.basic = p.ID
	}
	return f
}

// play asks for ch1 with token as a new session and returns the status.
func (f *playFixture) play(t *testing.T, token string) int {
	t.Helper()
	f.n++
	q := url.Values{"name": {"ch1"}, "token": {token}, "request_type": {"new_session"},
		"session_id": {fmt.Sprintf("s%d", f.n)}, "ip": {"192.0.2.1"}, "proto": {"hls"}}
	res, _ := get(t, f.path+"?"+q.Encode())
	return res.StatusCode
}

// TestAdminWritesApplyHereAtOnce asks the instance that took an admin
// API write to authorize a play the moment the write returns, with no wait:
// a new subscriber plays, a reset token, a disabled or a deleted subscriber
// is refused, and a re-enabled one plays again. The change notification
// would bring each a millisecond or two later; a billing system that
// disables a subscriber and checks at once must not see the old answer.
func TestAdminWritesApplyHereAtOnce(t *testing.T) {
	t.Parallel()
	f := startPlayFixture(t)
	srv, ctx := f.srv, t.Context()
	expect := func(what, token string, want int) {
		t.Helper()
		if got := f.play(t, token); got != want {
			t.Fatalf("%s: play answered %d right after the API returned, want %d", what, got, want)
		}
	}

	sub, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "bob", Password: "bob-password-1",
		Status: api.StatusActive, PackageIDs: []int64{f.basic}})
	if err != nil {
		t.Fatal(err)
	}
	expect("created", sub.Token, http.StatusOK)
	for i := range 20 {
		old := sub.Token
		if sub, err = srv.Admin.ResetSubscriberToken(ctx, sub.ID); err != nil {
			t.Fatal(err)
		}
		expect(fmt.Sprintf("reset %d, old token", i), old, http.StatusForbidden)
		expect(fmt.Sprintf("reset %d, new token", i), sub.Token, http.StatusOK)
	}
	for i := range 5 {
		if _, err := srv.Admin.DisableSubscriber(ctx, sub.ID); err != nil {
			t.Fatal(err)
		}
		expect(fmt.Sprintf("disabled %d", i), sub.Token, http.StatusForbidden)
		if _, err := srv.Admin.EnableSubscriber(ctx, sub.ID); err != nil {
			t.Fatal(err)
		}
		expect(fmt.Sprintf("enabled %d", i), sub.Token, http.StatusOK)
	}
	if err := srv.Admin.DeleteSubscriber(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	expect("deleted", sub.Token, http.StatusForbidden)
}

// TestXtreamActiveConnections signs a subscriber in through player_api.php
// as TiviMate does and expects active_cons to count its live sessions on
// every streamer: none, then the two it opened, then one after an
// administrator killed the other.
func TestXtreamActiveConnections(t *testing.T) {
	t.Parallel()
	f := startPlayFixture(t)
	srv, ctx := f.srv, t.Context()
	sub, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "carol", Password: "carol-password-1",
		Status: api.StatusActive, MaxSessions: 3, PackageIDs: []int64{f.basic}})
	if err != nil {
		t.Fatal(err)
	}
	account := func() (active, max string) {
		t.Helper()
		res, body := get(t, srv.URL+"/player_api.php?username=carol&password=carol-password-1")
		var info struct {
			UserInfo struct {
				Auth           int    `json:"auth"`
				ActiveCons     string `json:"active_cons"`
				MaxConnections string `json:"max_connections"`
			} `json:"user_info"`
		}
		if err := json.Unmarshal([]byte(body), &info); err != nil || res.StatusCode != http.StatusOK || info.UserInfo.Auth != 1 {
			t.Fatalf("player_api.php: status %d, %v: %s", res.StatusCode, err, body)
		}
		return info.UserInfo.ActiveCons, info.UserInfo.MaxConnections
	}
	if active, max := account(); active != "0" || max != "3" {
		t.Fatalf("before playing: active_cons %q, max_connections %q; want 0 and 3", active, max)
	}
	for range 2 {
		if code := f.play(t, sub.Token); code != http.StatusOK {
			t.Fatalf("play: %d", code)
		}
	}
	if active, _ := account(); active != "2" {
		t.Fatalf("after two plays: active_cons %q, want 2", active)
	}
	live, err := srv.Admin.PlaySessions(ctx, api.PlaySessionFilter{SubscriberID: sub.ID}, api.ListParams{})
	if err != nil || len(live.Items) != 2 {
		t.Fatalf("live sessions: %v, %v", live.Items, err)
	}
	if err := srv.Admin.KillPlaySession(ctx, live.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if active, _ := account(); active != "1" {
		t.Fatalf("after a kill: active_cons %q, want 1", active)
	}
}

// TestXtreamLegacyLiveBesideBalancer checks the order of the root's
// unmatched-path handlers: XC's prefixless /U/P/<id> redirects to the
// channel with the subscriber's token, while a balancer URL of the same
// depth and shape (timeshift_abs/<start>) stays the balancer's: no
// streamer serves ch1 here, so it answers 503.
func TestXtreamLegacyLiveBesideBalancer(t *testing.T) {
	t.Parallel()
	f := startPlayFixture(t)
	srv, ctx := f.srv, t.Context()
	sub, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "dan", Password: "dan-password-1",
		Status: api.StatusActive, PackageIDs: []int64{f.basic}})
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := srv.App.Catalog().Channel("ch1")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range []struct {
		path     string
		status   int
		location string
	}{
		{fmt.Sprintf("/dan/dan-password-1/%d.ts", ch.ID), http.StatusFound, "/ch1/mpegts?token=" + sub.Token},
		{fmt.Sprintf("/dan/wrong/%d.ts", ch.ID), http.StatusForbidden, ""},
		{"/ch1/timeshift_abs/1740823200?token=" + sub.Token, http.StatusServiceUnavailable, ""}, // also three segments ending in digits
		{"/ch1/index.m3u8?token=" + sub.Token, http.StatusServiceUnavailable, ""},
	} {
		res, err := noRedirect.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if loc := res.Header.Get("Location"); res.StatusCode != tt.status || !strings.HasSuffix(loc, tt.location) {
			t.Errorf("GET %s: %d %q, want %d ending %q", tt.path, res.StatusCode, loc, tt.status, tt.location)
		}
	}
}
