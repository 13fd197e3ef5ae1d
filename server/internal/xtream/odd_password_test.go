package xtream_test

import (
	"context"
	"net/url"
	"regexp"
	"testing"

	"canale/server/internal/credential"
	"canale/server/internal/subscriberview"
)

// TestOddPasswordURLs signs in with a password holding every character
// that means something in a URL, as imported XC lines do, and follows the
// stream URLs get.php hands out: each must reach the stream, not a 404.
func TestOddPasswordURLs(t *testing.T) {
	const odd = "p/a?s#s&w rd%2F+"
	h, err := credential.HashPassword(odd)
	if err != nil {
		t.Fatal(err)
	}
	lineup, _ := fixture(t).Lineup(context.Background(), subscriberview.Subscriber{})
	subs := []subscriberview.Subscriber{{ID: 7, Login: "odd", PasswordHash: h, Token: "tok-odd", Status: "active", CreatedAt: added}}
	srv := serve(t, subscriberview.NewStatic(subs, lineup, nil))

	q := url.Values{"username": {"odd"}, "password": {odd}, "type": {"m3u_plus"}, "output": {"ts"}}
	res, body := get(t, srv.URL+"/get.php?"+q.Encode())
	if res.StatusCode != 200 {
		t.Fatalf("get.php: %d %s", res.StatusCode, body)
	}
	links := regexp.MustCompile(`(?m)^https://tv\.example\.net(/live/\S+)$`).FindAllSubmatch(body, -1)
	if len(links) == 0 {
		t.Fatalf("no /live/ links in:\n%s", body)
	}
	for _, l := range links {
		res, body := get(t, srv.URL+string(l[1]))
		if res.StatusCode != 302 {
			t.Errorf("%s: %d %s, want a redirect to the stream", l[1], res.StatusCode, body)
		}
	}
	// The legacy form without /live/, escaped the same way.
	res, body = get(t, srv.URL+"/odd/"+url.PathEscape(odd)+"/1.ts")
	if res.StatusCode != 302 {
		t.Errorf("legacy form: %d %s, want a redirect", res.StatusCode, body)
	}
	// player_api with the password in the query, as apps send it.
	res, body = get(t, srv.URL+"/player_api.php?"+url.Values{"username": {"odd"}, "password": {odd}}.Encode())
	if res.StatusCode != 200 || !regexp.MustCompile(`"auth":1`).Match(body) {
		t.Errorf("player_api: %d %s", res.StatusCode, body)
	}
}
