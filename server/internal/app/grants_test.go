package app_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"canale/server/internal/store/storetest"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

// readmeGrants returns the SQL statements the README gives for an external
// database (the sql block after "<!-- grants -->").
func readmeGrants(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- grants -->\n```sql\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md has no sql block after <!-- grants -->")
	}
	var out []string
	for _, stmt := range strings.Split(string(m[1]), ";") {
		if stmt = strings.TrimSpace(stmt); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

// TestServerRunsWithTheREADMEGrants makes a role and database with exactly
// the README's statements (under a name of this test's own), then runs the
// migrations and the server's main flows as that role: the admin API, the
// streamer settings, play authorization, playlists and the Xtream API,
// channel and subscriber imports, and setup reset.
func TestServerRunsWithTheREADMEGrants(t *testing.T) {
	stmts := readmeGrants(t)
	name := fmt.Sprintf("canale_grants_%d", os.Getpid())
	password := regexp.MustCompile(`PASSWORD '([^']*)'`).FindStringSubmatch(strings.Join(stmts, "\n"))
	if password == nil {
		t.Fatal("the README's CREATE ROLE sets no password")
	}
	admin := storetest.ServerDSN(t)
	word := regexp.MustCompile(`\bcanale\b`)
	for _, stmt := range stmts {
		storetest.Exec(t, admin, word.ReplaceAllString(stmt, name))
	}
	t.Cleanup(func() {
		storetest.Exec(t, admin, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		storetest.Exec(t, admin, `DROP ROLE IF EXISTS `+name)
	})
	dsn := storetest.RoleDSN(t, name, password[1], name)
	var super bool
	storetest.QueryRow(t, dsn, `SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = current_user`, nil, &super)
	if super {
		t.Fatal("the README's role has superuser, createdb or createrole")
	}

	srv := testserver.StartOn(t, dsn)
	ctx := context.Background()
	ch, err := srv.Admin.CreateChannel(ctx, api.ChannelCreate{Name: "ch1", Title: "One", Number: 1})
	if err != nil {
		t.Fatalf("create channel: %v", err)
	}
	pkg, err := srv.Admin.CreatePackage(ctx, api.Package{Name: "Basic", ChannelIDs: []int64{ch.ID}})
	if err != nil {
		t.Fatalf("create package: %v", err)
	}
	sub, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "alice", Password: "alice-password-1",
		PackageIDs: []int64{pkg.ID}})
	if err != nil {
		t.Fatalf("create subscriber: %v", err)
	}
	settings, err := srv.Admin.Settings(ctx)
	if err != nil {
		t.Fatalf("settings: %v", err)
	}
	url := "https://tv.example.com"
	settings, err = srv.Admin.UpdateSettings(ctx, api.SettingsUpdate{ExternalURL: &url, Version: settings.Version})
	if err != nil {
		t.Fatalf("update settings: %v", err)
	}
	if settings, err = srv.Admin.RotateStreamerSecret(ctx, settings.Version); err != nil {
		t.Fatalf("rotate the streamer secret: %v", err)
	}
	waitFor(t, "the subscriber in the read model", func() bool {
		_, ok := srv.App.Catalog().SubscriberByLogin("alice")
		return ok
	})
	for _, tc := range []struct{ what, path, want string }{
		{"playlist", "/playlist/" + sub.Token + ".m3u8", "/ch1/"},
		{"xtream", "/player_api.php?username=alice&password=alice-password-1&action=get_live_streams", `"ch1"`},
	} {
		if resp, body := get(t, srv.URL+tc.path); resp.StatusCode != http.StatusOK || !strings.Contains(body, tc.want) {
			t.Errorf("%s: got %d %s, want 200 with %s", tc.what, resp.StatusCode, body, tc.want)
		}
	}
	auth := srv.URL + "/flussonic/" + settings.StreamerSecret + "/auth?name=ch1&token=" + sub.Token +
		"&ip=10.0.0.1&request_type=new_session&session_id=s1&proto=hls"
	waitFor(t, "play authorization", func() bool { resp, _ := get(t, auth); return resp.StatusCode == http.StatusOK })
	// Imports COPY into temporary tables, which need the TEMP privilege.
	m3u := "#EXTM3U\n#EXTINF:-1 tvg-id=\"two\",Two\nhttp://origin.example.com/two.m3u8\n"
	if rep, err := srv.Admin.ImportChannels(ctx, []byte(m3u), api.ImportOptions{}); err != nil || rep.Created != 1 {
		t.Errorf("channel import: %+v, %v; want one channel created", rep, err)
	}
	csv := "login,password,name,status,expires_at,max_sessions,packages\nbob,bob-password-1,Bob,active,2030-01-01,1,Basic\n"
	if rep, err := srv.Admin.ImportSubscribers(ctx, strings.NewReader(csv), true, false); err != nil || rep.Created != 1 {
		t.Errorf("subscriber import: %+v, %v; want one subscriber created", rep, err)
	}
	if _, err := srv.Admin.Audit(ctx, api.AuditFilter{}, api.ListParams{Limit: 10}); err != nil {
		t.Errorf("audit log: %v", err)
	}
	if err := srv.Store.Reset(ctx); err != nil {
		t.Errorf("setup reset as the role: %v", err)
	}
}
