package portal_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"canale/server/internal/subscriberview"
	"canale/server/internal/subscriberview/viewtest"
)

// plantSession gives a new browser a session of subscriber id made straight
// in the store, as one made before the account lost its access would be.
func plantSession(t *testing.T, e env, id int64) *http.Client {
	t.Helper()
	token, err := subscriberview.NewSessions(e.store).Create(context.Background(), subscriberview.Session{
		SubscriberID: id, CSRFToken: "csrf-planted", ExpiresAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	c := client(t)
	u, _ := url.Parse(e.url)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "canale_session", Value: token, Path: "/"}})
	return c
}

// get fetches u and returns the answer and its body.
func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestDisabledSubscribersCannotSignIn: a banned or disabled subscriber's
// sessions end with the access, and signing in again must not start a new
// one. The right password gets a page saying the account is disabled; a
// wrong one the usual answer, so the page tells nothing to someone who
// does not know the password.
func TestDisabledSubscribersCannotSignIn(t *testing.T) {
	t.Parallel()
	e := start(t, "", `UPDATE subscribers SET status = 'banned' WHERE login = 'bob'`)
	for _, login := range []string{"carol", "bob"} { // disabled, banned
		t.Run(login, func(t *testing.T) {
			c := client(t)
			tok := csrfOf(t, c, e.url+"/login")
			res, body := post(t, c, e.url+"/login", url.Values{"csrf": {tok}, "login": {login}, "password": {"not-the-password"}})
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Wrong login or password.") ||
				strings.Contains(body, "disabled") {
				t.Errorf("wrong password: status %d, want 401 saying only \"Wrong login or password.\":\n%s", res.StatusCode, body)
			}
			tok = csrfOf(t, c, e.url+"/login")
			res, body = post(t, c, e.url+"/login", url.Values{"csrf": {tok}, "login": {login}, "password": {viewtest.Password}})
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Your account is disabled") {
				t.Errorf("right password: status %d to %q, want 403 saying the account is disabled:\n%s",
					res.StatusCode, res.Header.Get("Location"), body)
			}
			for _, ck := range res.Cookies() {
				if ck.Name == "canale_session" && ck.Value != "" {
					t.Errorf("refused sign-in set a session cookie")
				}
			}
			if res, _ := get(t, c, e.url+"/account"); res.StatusCode != http.StatusSeeOther {
				t.Errorf("account page after a refused sign-in: status %d, want 303 to /login", res.StatusCode)
			}
		})
	}
}

// TestPlaylistQRChecksAccess: the QR code carries the playlist link with
// the playback token, so it is refused whenever the playlists page is: for
// an expired subscriber and for a disabled one whose session outlived the
// access.
func TestPlaylistQRChecksAccess(t *testing.T) {
	t.Parallel()
	e := start(t, "")
	expired := client(t)
	signIn(t, e, expired, "dave", viewtest.Password)
	for name, c := range map[string]*http.Client{"expired": expired, "disabled": plantSession(t, e, 3)} {
		for _, path := range []string{"/playlists", "/playlists/qr.png"} {
			res, body := get(t, c, e.url+path)
			if res.StatusCode != http.StatusForbidden || strings.Contains(body, "tok-") {
				t.Errorf("%s subscriber, %s: status %d (%s), want 403 without the token", name, path,
					res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
	}
	alice := client(t)
	signIn(t, e, alice, "alice", viewtest.Password)
	if res, _ := get(t, alice, e.url+"/playlists/qr.png"); res.StatusCode != http.StatusOK ||
		res.Header.Get("Content-Type") != "image/png" {
		t.Errorf("active subscriber's QR: status %d (%s), want a PNG", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
