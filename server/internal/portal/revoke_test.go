package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// portalSignIn signs a new browser in to the portal of srv.
func portalSignIn(t *testing.T, srv *testserver.Server, login, password string) *http.Client {
	t.Helper()
	c := client(t)
	tok := csrfOf(t, c, srv.URL+"/login")
	res, _ := post(t, c, srv.URL+"/login", url.Values{"csrf": {tok}, "login": {login}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/channels" {
		t.Fatalf("portal sign-in as %s: status %d to %q", login, res.StatusCode, res.Header.Get("Location"))
	}
	return c
}

// signedIn reports whether the browser's session still opens the account page.
func signedIn(t *testing.T, srv *testserver.Server, c *http.Client) bool {
	t.Helper()
	res, err := c.Get(srv.URL + "/account")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// TestPortalSessionsEndWithAccess: a password change, a disable and a ban
// each end every portal session of the subscriber at once, not 30 days
// later.
func TestPortalSessionsEndWithAccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testserver.Start(t)
	newPassword, banned := "pw-stolen-no-more", api.StatusBanned
	tests := []struct {
		name string
		do   func(sub api.Subscriber) error
	}{
		{"PasswordChange", func(sub api.Subscriber) error {
			_, err := srv.Admin.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{Password: &newPassword, Version: sub.Version})
			return err
		}},
		{"Disable", func(sub api.Subscriber) error {
			_, err := srv.Admin.DisableSubscriber(ctx, sub.ID)
			return err
		}},
		{"Ban", func(sub api.Subscriber) error {
			_, err := srv.Admin.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{Status: &banned, Version: sub.Version})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			login := "viewer-" + tt.name
			sub, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: login, Password: "pw-" + login})
			if err != nil {
				t.Fatal(err)
			}
			phone, laptop := portalSignIn(t, srv, login, "pw-"+login), portalSignIn(t, srv, login, "pw-"+login)
			if !signedIn(t, srv, phone) || !signedIn(t, srv, laptop) {
				t.Fatal("fresh sessions do not open the account page")
			}
			if err := tt.do(sub); err != nil {
				t.Fatal(err)
			}
			if signedIn(t, srv, phone) || signedIn(t, srv, laptop) {
				t.Errorf("after %s: a portal session still opens the account page", tt.name)
			}
		})
	}
}

// TestPortalSignOutEverywhere: the account page's button ends every session
// of the subscriber, and only with the session's CSRF token.
func TestPortalSignOutEverywhere(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testserver.Start(t)
	if _, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "carol", Password: "pw-carol"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "dave", Password: "pw-dave"}); err != nil {
		t.Fatal(err)
	}
	phone, laptop := portalSignIn(t, srv, "carol", "pw-carol"), portalSignIn(t, srv, "carol", "pw-carol")
	neighbour := portalSignIn(t, srv, "dave", "pw-dave")
	for _, form := range []url.Values{{}, {"csrf": {"forged"}}} {
		res, _ := post(t, phone, srv.URL+"/account/sign-out-everywhere", form)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("sign out everywhere with csrf %q: status %d, want 403", form.Get("csrf"), res.StatusCode)
		}
	}
	if !signedIn(t, srv, phone) || !signedIn(t, srv, laptop) {
		t.Fatal("a refused sign-out ended sessions")
	}
	res, _ := post(t, phone, srv.URL+"/account/sign-out-everywhere", url.Values{"csrf": {csrfOf(t, phone, srv.URL+"/account")}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("sign out everywhere: status %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	if signedIn(t, srv, phone) || signedIn(t, srv, laptop) {
		t.Error("after sign out everywhere a session of the subscriber still works")
	}
	if !signedIn(t, srv, neighbour) {
		t.Error("sign out everywhere ended another subscriber's session")
	}
}
