package importxc_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"canale/server/internal/importxc"
	"canale/server/internal/testmariadb"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestImportForkedSchema imports a panel that mixes the two dialects, then
// checks each line through the XC API as an app would: sign-in with the
// login exactly as stored, status and expiry as XC decides them, and the
// rules XC applies its own way.
func TestImportForkedSchema(t *testing.T) {
	defer importxc.StubLookupHost(map[string][]string{"localhost": {"127.0.0.1", "::1"}})()
	srv := testmariadb.Start(t)
	x := newForked(t, srv, "forked")
	c := newCanale(t)
	rep := run(t, x, c, importxc.Options{})
	var out strings.Builder
	rep.Write(&out)
	t.Logf("report:\n%s", out.String())

	if rep.Dialect != importxc.DialectMixed {
		t.Errorf("dialect = %q, want mixed", rep.Dialect)
	}
	for e, n := range map[string]int{"categories": 1, "channels": 3, "packages": 1, "resellers": 1, "subscribers": 4} {
		if rep.Imported[e] != n {
			t.Errorf("imported %s = %d, want %d", e, rep.Imported[e], n)
		}
	}
	tables := map[string]importxc.TableCount{}
	for _, tc := range rep.Tables {
		tables[tc.Table] = tc
	}
	for table, want := range map[string]importxc.TableCount{
		"lines":             {Table: "lines", Read: 4, Imported: 4},
		"reg_users":         {Table: "reg_users", Read: 2, Imported: 1, Skipped: 1},
		"stream_categories": {Table: "stream_categories", Read: 1, Imported: 1},
		"member_groups":     {Table: "member_groups", Read: 4, Lookup: true},
	} {
		if tables[table] != want {
			t.Errorf("table %s: got %+v, want %+v", table, tables[table], want)
		}
	}
	stray := false
	for _, s := range rep.SkippedTables {
		stray = stray || s.Table == "streams_categories" && s.Rows == 1 && strings.Contains(s.Reason, "stream_categories")
	}
	if !stray {
		t.Errorf("the stray streams_categories row is not reported: %+v", rep.SkippedTables)
	}
	for _, want := range []string{"Source tables:", "Tables not imported:", "exp_date 0", "\"localhost\" resolved", "\"no-such-host.invalid\" does not resolve",
		"imported disabled rather than open", "streams: 1 text values were UTF-8 stored twice"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for q, want := range map[string]string{
		"SELECT string_agg(reseller_id::text, ',' ORDER BY id) FROM subscribers":              "2,2,2,2",
		"SELECT category_id FROM channels WHERE id = 10":                                      "1",
		"SELECT title FROM channels WHERE id = 11":                                            "Première TV",
		"SELECT title FROM channels WHERE id = 12":                                            "Première Direct",
		"SELECT credits FROM resellers WHERE id = 2":                                          "2500000000000.00", // numeric(14,2) overflowed at 10^12
		"SELECT login FROM subscribers WHERE id = 1":                                          "spaced ",
		"SELECT expires_at FROM subscribers WHERE id = 2":                                     "1970-01-01 00:00:00+00",
		"SELECT allowed_ips::text || allowed_user_agents::text FROM subscribers WHERE id = 3": `{127.0.0.1,::1}{"=IPTV Smarters/1.0"}`,
		"SELECT status || allowed_ips::text FROM subscribers WHERE id = 4":                    "disabled{}",
	} {
		if got := c.value(t, q); got != want {
			t.Errorf("%s\n got %s\nwant %s", q, got, want)
		}
	}

	s := testserver.StartOn(t, c.dsn)
	for _, tc := range []struct{ login, password, status string }{
		{"spaced ", "pw1", "Active"},
		{"zero", "pw2", "Expired"},
		{"hosted", "pw3", "Active"},
		{"nowhere", "pw4", "Disabled"},
	} {
		var body struct {
			UserInfo struct {
				Auth     int     `json:"auth"`
				Username string  `json:"username"`
				Status   string  `json:"status"`
				ExpDate  *string `json:"exp_date"`
			} `json:"user_info"`
		}
		q := url.Values{"username": {tc.login}, "password": {tc.password}}
		res, err := http.Get(s.URL + "/player_api.php?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if err != nil || body.UserInfo.Auth != 1 || body.UserInfo.Username != tc.login || body.UserInfo.Status != tc.status {
			t.Errorf("line %q: %d %+v (%v), want signed in, status %s", tc.login, res.StatusCode, body.UserInfo, err, tc.status)
		}
		if tc.login == "zero" && (body.UserInfo.ExpDate == nil || *body.UserInfo.ExpDate != "0") {
			t.Errorf("line zero: exp_date %v, want \"0\" as XC shows it", body.UserInfo.ExpDate)
		}
	}

	// Editing a line whose login Canale would not give a new account keeps
	// the login and does not fail on it; changing it to such a login does.
	ctx := context.Background()
	sub, err := s.Admin.Subscriber(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	notes, login := "edited", sub.Login
	if sub, err = s.Admin.UpdateSubscriber(ctx, 1, api.SubscriberUpdate{Login: &login, Notes: &notes, Version: sub.Version}); err != nil || sub.Login != "spaced " {
		t.Errorf("edit with the unchanged login: %q, %v; want it kept", sub.Login, err)
	}
	bad := "other "
	_, err = s.Admin.UpdateSubscriber(ctx, 1, api.SubscriberUpdate{Login: &bad, Version: sub.Version})
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Code != api.CodeInvalid || apiErr.Fields["login"] == "" {
		t.Errorf("changing to a login with a space: %v, want invalid naming login", err)
	}
}
