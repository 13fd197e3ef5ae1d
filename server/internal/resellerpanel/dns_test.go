package resellerpanel_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/shared/api"
)

// TestResellerDNSOnEverySurface sells a line through the panel of a
// reseller whose DNS is tv.dealer.example and fetches every link the
// customer is given from the server's own address: each carries the
// reseller's host and none the server's.
func TestResellerDNSOnEverySurface(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, dealer := panelServer(t)
	const dns = "http://tv.dealer.example/"
	ch, err := srv.Admin.CreateChannel(ctx, api.ChannelCreate{Name: "news", Title: "News", Number: 1})
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := srv.Admin.Package(ctx, dealer.Packages[0].PackageID)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{ch.ID}
	if _, err := srv.Admin.UpdatePackage(ctx, pkg.ID, api.PackageUpdate{ChannelIDs: &ids, Version: pkg.Version}); err != nil {
		t.Fatal(err)
	}
	u := signInPanel(t, srv, dealerLogin, dealerPassword)
	const login, password = "carol-line", "carol-password-1"
	code, body := u.post("/reseller/lines", url.Values{"login": {login}, "password": {password},
		"package_id": {strconv.FormatInt(pkg.ID, 10)}})
	m := lineLink.FindStringSubmatch(body)
	if code != http.StatusCreated || m == nil || !strings.Contains(body, dns+"playlist/") {
		t.Fatalf("sell a line: %d, want its hand-over on %s: %s", code, dns, body)
	}
	if _, body = u.get("/reseller/lines/" + m[1]); !strings.Contains(body, dns+"playlist/") || strings.Contains(body, srv.URL) {
		t.Errorf("panel's line page: want links on %s only: %s", dns, body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	sub, err := srv.Admin.Subscriber(ctx, id)
	if err != nil || !strings.HasPrefix(sub.PlaylistURL, dns) {
		t.Errorf("admin API's playlist_url: %q, %v; want it on %s", sub.PlaylistURL, err, dns)
	}

	creds := "username=" + login + "&password=" + password
	xc := srv.URL + "/player_api.php?" + creds
	waitFor(t, "the line in the read model", func() bool { c, _ := fetch(t, http.DefaultClient, xc); return c == http.StatusOK })
	_, info := fetch(t, http.DefaultClient, xc)
	var account struct {
		Server map[string]any `json:"server_info"`
	}
	if err := json.Unmarshal([]byte(info), &account); err != nil {
		t.Fatalf("player_api: %v: %s", err, info)
	}
	if s := account.Server; s["url"] != "tv.dealer.example" || s["port"] != "80" || s["server_protocol"] != "http" {
		t.Errorf("XC server_info: got %v, want tv.dealer.example, 80, http", s)
	}
	for _, tc := range []struct{ what, path, want string }{
		{"M3U playlist", "/playlist/" + sub.Token + ".m3u8", `url-tvg="` + dns},
		{"XC get.php m3u_plus", "/get.php?" + creds + "&type=m3u_plus&output=ts", "\n" + dns + "live/" + login + "/"},
		{"XC Enigma2 script", "/get.php?" + creds + "&type=enigma22_script&output=ts", dns + "get.php?"},
	} {
		code, body := fetch(t, http.DefaultClient, srv.URL+tc.path)
		if code != http.StatusOK || !strings.Contains(body, tc.want) || strings.Contains(body, srv.URL) {
			t.Errorf("%s: got %d, want %q and not the server's own address:\n%s", tc.what, code, tc.want, body)
		}
	}

	// The customer's own portal, signed in on the server's own address.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	_, form := fetch(t, c, srv.URL+"/login")
	tok := csrfInput.FindStringSubmatch(form)
	if tok == nil {
		t.Fatalf("no csrf on the portal's sign-in: %s", form)
	}
	res, err := c.PostForm(srv.URL+"/login", url.Values{"csrf": {tok[1]}, "login": {login}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	code, body = fetch(t, c, srv.URL+"/playlists")
	if code != http.StatusOK || !strings.Contains(body, dns+"playlist/"+sub.Token) || strings.Contains(body, srv.URL) {
		t.Errorf("portal's playlists page: %d, want links on %s only:\n%s", code, dns, body)
	}
}

func fetch(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10s", what)
		}
	}
}
