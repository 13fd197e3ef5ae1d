package adminapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestSubscriberLinks checks that the subscriber resource carries its playlist, guide and portal
// URLs, built from the external URL setting as in force (the request's address while unset), and
// that an operator, who may not read tokens, gets none of the links that carry one.
func TestSubscriberLinks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testserver.Start(t)
	c := srv.Admin
	sub, err := c.CreateSubscriber(ctx, api.Subscriber{Login: "linked", Password: "pw-linked", Name: "Linked"})
	if err != nil {
		t.Fatal(err)
	}
	wantLinks(t, "created, no external URL", sub, srv.URL)
	for _, link := range []string{sub.PlaylistURL, sub.PlaylistTSURL, sub.EPGURL} {
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: got %d, want 200", link, resp.StatusCode)
		}
	}

	settings, err := c.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const external = "https://tv.example.net"
	if _, err := c.UpdateSettings(ctx, api.SettingsUpdate{ExternalURL: ptr(external + "/"), Version: settings.Version}); err != nil {
		t.Fatal(err)
	}
	// The read model learns of the setting from its change notification.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if sub, err = c.Subscriber(ctx, sub.ID); err != nil || strings.HasPrefix(sub.PortalURL, external) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	wantLinks(t, "get, external URL set", sub, external)
	page, err := c.Subscribers(ctx, api.SubscriberFilter{}, api.ListParams{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list: got %+v, %v; want the one subscriber", page, err)
	}
	wantLinks(t, "list", page.Items[0], external)
	reset, err := c.ResetSubscriberToken(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantLinks(t, "reset token", reset, external)

	testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "operator-password")
	seen, err := srv.SignIn(t, "noc", "operator-password").Subscriber(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if seen.PlaylistURL != "" || seen.PlaylistTSURL != "" || seen.EPGURL != "" || seen.PortalURL != external+"/" {
		t.Errorf("operator: got playlist %q, guide %q, portal %q; want no links with the token, portal %q",
			seen.PlaylistURL, seen.EPGURL, seen.PortalURL, external+"/")
	}
}

func wantLinks(t *testing.T, what string, sub api.Subscriber, base string) {
	t.Helper()
	want := [4]string{base + "/playlist/" + sub.Token + ".m3u8", base + "/playlist/" + sub.Token + "/ts.m3u",
		base + "/epg/" + sub.Token + ".xml.gz", base + "/"}
	if got := [4]string{sub.PlaylistURL, sub.PlaylistTSURL, sub.EPGURL, sub.PortalURL}; sub.Token == "" || got != want {
		t.Errorf("%s: got playlist, TS playlist, guide, portal %q, want %q", what, got, want)
	}
}
