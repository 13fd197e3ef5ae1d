package portal_test

import (
	"html"
	"net/http"
	"regexp"
	"testing"

	"canale/server/internal/subscriberview/viewtest"
)

var tunerCode = regexp.MustCompile(`<code id="tuner-url">([^<]+)</code>`)

// TestPlaylistsShowTuner: the playlists page gives the subscriber their own
// HDHomeRun tuner address to paste into Plex or Jellyfin; an expired
// subscriber's page, refused, does not carry it.
func TestPlaylistsShowTuner(t *testing.T) {
	t.Parallel()
	e := start(t, "")
	alice := client(t)
	signIn(t, e, alice, "alice", viewtest.Password)
	sub, err := e.dir.SubscriberByLogin(t.Context(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	token, err := e.store.TunerToken(t.Context(), sub.ID)
	if err != nil || len(token) < 32 {
		t.Fatalf("alice's tuner token %q, %v", token, err)
	}
	res, body := get(t, alice, e.url+"/playlists")
	m := tunerCode.FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil || html.UnescapeString(m[1]) != e.url+"/hdhr/"+token {
		t.Fatalf("playlists page: status %d, tuner %q, want %s/hdhr/%s", res.StatusCode, m, e.url, token)
	}
	dave := client(t)
	signIn(t, e, dave, "dave", viewtest.Password)
	if res, body := get(t, dave, e.url+"/playlists"); res.StatusCode != http.StatusForbidden || tunerCode.MatchString(body) {
		t.Errorf("expired subscriber: status %d, tuner shown %v; want 403 without it", res.StatusCode, tunerCode.MatchString(body))
	}
}
