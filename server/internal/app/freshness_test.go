package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/store"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestPlaylistFollowsChanges changes what alice may watch through the admin
// API (her packages, a channel's title, her expiry) and expects the served
// playlist, cached between requests, to follow each change as soon as the
// change notification reaches the read model. It logs how long that took.
func TestPlaylistFollowsChanges(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := t.Context()
	hash, err := credential.HashPassword("pw")
	if err != nil {
		t.Fatal(err)
	}
	err = srv.Store.Seed(ctx, store.Seed{
		Channels: []store.SeedChannel{{Name: "ch1", Title: "One", Number: 1}, {Name: "ch2", Title: "Two", Number: 2}},
		Packages: []store.SeedPackage{{Name: "Basic", Channels: []string{"ch1"}}, {Name: "Extra", Channels: []string{"ch2"}}},
		Subscribers: []store.SeedSubscriber{{Login: "alice", PasswordHash: hash, Token: "tok-alice",
			Packages: []string{"Basic"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Catalog().Load(ctx); err != nil {
		t.Fatal(err)
	}
	playlist := srv.URL + "/playlist/tok-alice.m3u8"
	if _, body := get(t, playlist); !strings.Contains(body, "/ch1/") || strings.Contains(body, "/ch2/") {
		t.Fatalf("first playlist lacks ch1 or has ch2:\n%s", body)
	}
	cat := srv.App.Catalog()
	alice, _ := cat.SubscriberByLogin("alice")
	var extra int64
	for _, p := range cat.Packages() {
		if p.Name == "Extra" {
			extra = p.ID
		}
	}

	sub, err := srv.Admin.Subscriber(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	sub, err = srv.Admin.UpdateSubscriber(ctx, alice.ID, apiUpdatePackages(sub.Version, extra))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "package change", func() bool {
		_, body := get(t, playlist)
		return strings.Contains(body, "/ch2/") && !strings.Contains(body, "/ch1/")
	})

	ch2, _ := cat.Channel("ch2")
	ch, err := srv.Admin.Channel(ctx, ch2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Admin.UpdateChannel(ctx, ch2.ID, apiRetitle(ch.Version, "Two Renamed")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "channel title change", func() bool {
		_, body := get(t, playlist)
		return strings.Contains(body, ",Two Renamed\n")
	})

	if _, err := srv.Admin.UpdateSubscriber(ctx, alice.ID, apiExpire(sub.Version, time.Now().Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "expiry change", func() bool {
		res, _ := get(t, playlist)
		return res.StatusCode == http.StatusForbidden
	})
}

// waitFor polls cond for up to ten seconds, logging how long it took.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("%s never showed in the playlist", what)
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Logf("%s served after %v", what, time.Since(start).Round(time.Millisecond))
}

func apiUpdatePackages(version int, ids ...int64) api.SubscriberUpdate {
	return api.SubscriberUpdate{PackageIDs: &ids, Version: version}
}

func apiRetitle(version int, title string) api.ChannelUpdate {
	return api.ChannelUpdate{Title: &title, Version: version}
}

func apiExpire(version int, at time.Time) api.SubscriberUpdate {
	return api.SubscriberUpdate{ExpiresAt: &at, Version: version}
}
