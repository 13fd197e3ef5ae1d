package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"canale/server/internal/playauth"
	"canale/server/internal/store"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestAdminWritesApplyHereAtOnce asks the instance that took an admin
// API write to authorize a play the moment the write returns, with no wait:
// a new subscriber plays, a reset token, a disabled or a deleted subscriber
// is refused, and a re-enabled one plays again. The change notification
// would bring each a millisecond or two later; a billing system that
// disables a subscriber and checks at once must not see the old answer.
func TestAdminWritesApplyHereAtOnce(t *testing.T) {
	t.Parallel()
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
	var basic int64
	for _, p := range srv.App.Catalog().Packages() {
		basic = p.ID
	}
	n := 0
	play := func(token string) int {
		n++
		q := url.Values{"name": {"ch1"}, "token": {token}, "request_type": {"new_session"},
			"session_id": {fmt.Sprintf("s%d", n)}, "ip": {"192.0.2.1"}, "proto": {"hls"}}
		res, _ := get(t, srv.URL+playauth.AuthPath(settings.StreamerSecret)+"?"+q.Encode())
		return res.StatusCode
	}
	expect := func(what, token string, want int) {
		t.Helper()
		if got := play(token); got != want {
			t.Fatalf("%s: play answered %d right after the API returned, want %d", what, got, want)
		}
	}

	sub, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "bob", Password: "bob-password-1",
		Status: api.StatusActive, PackageIDs: []int64{basic}})
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
