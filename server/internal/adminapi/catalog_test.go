package adminapi_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

func ptr[T any](v T) *T { return &v }

// wantCode fails unless err carries code (and, when field is set, names it).
func wantCode(t *testing.T, what string, err error, code api.Code, field string) {
	t.Helper()
	if got := api.ErrorCode(err); got != code {
		t.Fatalf("%s: got %v (%v), want %s", what, got, err, code)
	}
	if field != "" {
		var e *api.Error // store errors arrive wrapped
		if !errors.As(err, &e) || e.Fields[field] == "" {
			t.Errorf("%s: got %v, want field %q named", what, err, field)
		}
	}
}

// rawGet returns the raw body of an authenticated GET.
func rawGet(t *testing.T, srv *testserver.Server, path string) string {
	t.Helper()
	_, body := getBody(t, srv.URL+path, srv.Admin.Token())
	return body
}

func TestStreamerCRUD(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	c := srv.Admin
	s, err := c.CreateStreamer(ctx, api.StreamerCreate{Name: "edge-1", APIURL: "http://127.0.0.1:8080",
		Roles: []string{"edge"}, StreamerCredentials: api.StreamerCredentials{APILogin: "flu", APIPassword: "pw-secret-1"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Auth != api.StreamerAuthBasic || !s.HasCredentials || s.PollIntervalS != 10 || !s.Enabled {
		t.Errorf("created: got %+v, want basic auth, defaults applied", s)
	}
	got, err := c.Streamer(ctx, s.ID)
	if err != nil || got.Name != "edge-1" {
		t.Fatalf("get: got %+v, %v", got, err)
	}
	_, err = c.UpdateStreamer(ctx, s.ID, api.StreamerUpdate{Name: ptr("edge-x"), Version: s.Version + 1})
	wantCode(t, "stale update", err, api.CodeConflict, "version")
	u, err := c.UpdateStreamer(ctx, s.ID, api.StreamerUpdate{APIKey: ptr("key-secret-2"), TimeoutS: ptr(5), Version: s.Version})
	if err != nil || u.Auth != api.StreamerAuthBearer || u.TimeoutS != 5 || u.Version != s.Version+1 {
		t.Fatalf("update: got %+v, %v; want bearer, timeout 5, version bumped", u, err)
	}
	for _, path := range []string{"/api/v1/streamers", "/api/v1/streamers/" + itoa(s.ID), "/api/v1/audit?entity=streamer"} {
		body := rawGet(t, srv, path)
		for _, secret := range []string{"pw-secret-1", "key-secret-2", "api_password", "api_key", `"flu"`} {
			if strings.Contains(body, secret) {
				t.Errorf("GET %s leaks %q: %s", path, secret, body)
			}
		}
	}
	if err := c.DeleteStreamer(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Streamer(ctx, s.ID)
	wantCode(t, "get deleted", err, api.CodeNotFound, "")
}

func TestStreamerValidation(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	for _, tc := range []struct {
		name  string
		in    api.StreamerCreate
		field string
	}{
		{"NoName", api.StreamerCreate{APIURL: "http://a.example"}, "name"},
		{"RelativeURL", api.StreamerCreate{Name: "a", APIURL: "/api"}, "api_url"},
		{"FTPURL", api.StreamerCreate{Name: "a", APIURL: "ftp://a.example"}, "api_url"},
		{"BadPublicURL", api.StreamerCreate{Name: "a", APIURL: "http://a.example", PublicURL: "a.example"}, "public_url"},
		{"BadRole", api.StreamerCreate{Name: "a", APIURL: "http://a.example", Roles: []string{"origin"}}, "roles"},
		{"NegativeLimit", api.StreamerCreate{Name: "a", APIURL: "http://a.example", ChannelLimit: -1}, "channel_limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := srv.Admin.CreateStreamer(context.Background(), tc.in)
			wantCode(t, "create", err, api.CodeInvalid, tc.field)
		})
	}
}

func TestPipelineReferences(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	c := srv.Admin
	st, err := c.CreateStreamer(ctx, api.StreamerCreate{Name: "origin", APIURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreatePipeline(ctx, api.Pipeline{Name: "p", Steps: []api.PipelineStep{{Role: "edge", StreamerIDs: []int64{st.ID}}}})
	wantCode(t, "first step edge", err, api.CodeInvalid, "steps[0].role")
	_, err = c.CreatePipeline(ctx, api.Pipeline{Name: "p"})
	wantCode(t, "no steps", err, api.CodeInvalid, "steps")
	_, err = c.CreatePipeline(ctx, api.Pipeline{Name: "p", Steps: []api.PipelineStep{{Role: "ingest", StreamerIDs: []int64{st.ID + 99}}}})
	wantCode(t, "missing streamer", err, api.CodeInvalid, "steps[0].streamer_ids")

	p, err := c.CreatePipeline(ctx, api.Pipeline{Name: "Main", Steps: []api.PipelineStep{{Role: "ingest", StreamerIDs: []int64{st.ID}}}})
	if err != nil || len(p.Steps) != 1 || p.Steps[0].Placement != "one" {
		t.Fatalf("create pipeline: got %+v, %v", p, err)
	}
	err = c.DeleteStreamer(ctx, st.ID)
	wantCode(t, "delete streamer in pipeline", err, api.CodeConflict, "pipelines")
	if !strings.Contains(err.Error(), "Main") {
		t.Errorf("conflict %q does not name the pipeline Main", err)
	}
	steps := []api.PipelineStep{{Role: "ingest", StreamerIDs: []int64{st.ID}}, {Role: "edge", Placement: "all", StreamerIDs: []int64{st.ID}}}
	p2, err := c.UpdatePipeline(ctx, p.ID, api.PipelineUpdate{Steps: &steps, Version: p.Version})
	if err != nil || len(p2.Steps) != 2 || p2.Steps[1].Placement != "all" {
		t.Fatalf("replace steps: got %+v, %v", p2, err)
	}
	_, err = c.UpdatePipeline(ctx, p.ID, api.PipelineUpdate{Name: ptr("x"), Version: p.Version})
	wantCode(t, "stale pipeline", err, api.CodeConflict, "version")

	ch, err := c.CreateChannel(ctx, api.ChannelCreate{Name: "news", Title: "News", PipelineID: &p.ID})
	if err != nil {
		t.Fatal(err)
	}
	err = c.DeletePipeline(ctx, p.ID)
	wantCode(t, "delete pipeline used by a channel", err, api.CodeConflict, "channels")
	if !strings.Contains(err.Error(), "news") {
		t.Errorf("conflict %q does not name the channel", err)
	}
	if _, err := c.UpdateChannel(ctx, ch.ID, api.ChannelUpdate{PipelineID: ptr(int64(0)), Version: ch.Version}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeletePipeline(ctx, p.ID); err != nil {
		t.Fatalf("delete unused pipeline: %v", err)
	}
	if err := c.DeleteStreamer(ctx, st.ID); err != nil {
		t.Fatalf("delete streamer no longer in a pipeline: %v", err)
	}
}

func TestChannelCRUD(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	c := srv.Admin
	cat, err := c.CreateCategory(ctx, api.Category{Name: "Новости"})
	if err != nil || cat.Kind != "live" {
		t.Fatalf("create category: got %+v, %v", cat, err)
	}
	ch, err := c.CreateChannel(ctx, api.ChannelCreate{Name: "perviy", Title: "Первый канал", CategoryID: &cat.ID,
		Number: 1, Sources: []api.Source{{URL: "udp://239.0.0.1:1234", Priority: 1}}, DVRDays: 3})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Channel(ctx, ch.ID)
	if err != nil || got.Title != "Первый канал" || *got.CategoryID != cat.ID || len(got.Sources) != 1 || !got.Enabled {
		t.Fatalf("get: got %+v, %v", got, err)
	}
	_, err = c.CreateChannel(ctx, api.ChannelCreate{Name: "perviy", Title: "dup"})
	wantCode(t, "duplicate name", err, api.CodeConflict, "")
	_, err = c.UpdateChannel(ctx, ch.ID, api.ChannelUpdate{Title: ptr("x"), Version: 99})
	wantCode(t, "stale", err, api.CodeConflict, "version")
	u, err := c.UpdateChannel(ctx, ch.ID, api.ChannelUpdate{Title: ptr("Channel One"), CategoryID: ptr(int64(0)), Version: ch.Version})
	if err != nil || u.Title != "Channel One" || u.CategoryID != nil || u.Number != 1 {
		t.Fatalf("partial update: got %+v, %v; want title changed, category cleared, number kept", u, err)
	}
	if err := c.DeleteCategory(ctx, cat.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "delete again", c.DeleteChannel(ctx, ch.ID), api.CodeNotFound, "")
}

func TestChannelValidation(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	for _, tc := range []struct {
		name  string
		in    api.ChannelCreate
		field string
	}{
		{"EmptyName", api.ChannelCreate{Title: "t"}, "name"},
		{"SpaceInName", api.ChannelCreate{Name: "a b", Title: "t"}, "name"},
		{"LongName", api.ChannelCreate{Name: strings.Repeat("a", 65), Title: "t"}, "name"},
		{"NoTitle", api.ChannelCreate{Name: "a"}, "title"},
		{"BadLogo", api.ChannelCreate{Name: "a", Title: "t", LogoURL: "logo.png"}, "logo_url"},
		{"BadSource", api.ChannelCreate{Name: "a", Title: "t", Sources: []api.Source{{URL: "nowhere"}}}, "sources"},
		{"MissingCategory", api.ChannelCreate{Name: "a", Title: "t", CategoryID: ptr(int64(777))}, "category_id"},
		{"NegativeDVR", api.ChannelCreate{Name: "a", Title: "t", DVRDays: -1}, "dvr_days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := srv.Admin.CreateChannel(context.Background(), tc.in)
			wantCode(t, "create", err, api.CodeInvalid, tc.field)
		})
	}
}

func TestChannelDeleteLeavesPackages(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	c := srv.Admin
	a, _ := c.CreateChannel(ctx, api.ChannelCreate{Name: "a", Title: "A"})
	b, _ := c.CreateChannel(ctx, api.ChannelCreate{Name: "b", Title: "B"})
	p, err := c.CreatePackage(ctx, api.Package{Name: "Basic", Price: "9.99", Currency: "eur", ChannelIDs: []int64{b.ID, a.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Price != "9.99" || p.Currency != "EUR" || p.PeriodDays != 30 || len(p.ChannelIDs) != 2 || p.ChannelIDs[0] != b.ID {
		t.Fatalf("create package: got %+v; want order b,a kept and defaults", p)
	}
	if err := c.DeleteChannel(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	after, err := c.Package(ctx, p.ID)
	if err != nil || len(after.ChannelIDs) != 1 || after.ChannelIDs[0] != a.ID || after.Version != p.Version+1 {
		t.Fatalf("package after channel delete: got %+v, %v; want only a, version bumped", after, err)
	}
	entriesPage, err := c.Audit(ctx, api.AuditFilter{Entity: "package", EntityID: itoa(p.ID)}, api.ListParams{})
	entries := entriesPage.Items
	if err != nil || len(entries) == 0 || entries[0].Action != "remove_channel" {
		t.Fatalf("audit: got %+v, %v; want remove_channel first", entries, err)
	}
	_, err = c.UpdatePackage(ctx, p.ID, api.PackageUpdate{Name: ptr("x"), Version: p.Version})
	wantCode(t, "stale after cascade", err, api.CodeConflict, "version")
	_, err = c.CreatePackage(ctx, api.Package{Name: "Bad", ChannelIDs: []int64{b.ID}})
	wantCode(t, "missing channel", err, api.CodeInvalid, "channel_ids")
	_, err = c.CreatePackage(ctx, api.Package{Name: "Bad", Price: "-1"})
	wantCode(t, "negative price", err, api.CodeInvalid, "price")
	ids := []int64{}
	up, err := c.UpdatePackage(ctx, p.ID, api.PackageUpdate{ChannelIDs: &ids, Free: ptr(true), Version: after.Version})
	if err != nil || len(up.ChannelIDs) != 0 || !up.Free {
		t.Fatalf("update package: got %+v, %v", up, err)
	}
	if err := c.DeletePackage(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
}

func TestVODAndCategoryCRUD(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	c := srv.Admin
	cat, err := c.CreateCategory(ctx, api.Category{Kind: "vod", Name: "Movies", Position: 2})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateCategory(ctx, api.Category{Kind: "radio", Name: "x"})
	wantCode(t, "bad kind", err, api.CodeInvalid, "kind")
	cu, err := c.UpdateCategory(ctx, cat.ID, api.CategoryUpdate{Position: ptr(5), Version: cat.Version})
	if err != nil || cu.Position != 5 || cu.Name != "Movies" {
		t.Fatalf("update category: %+v, %v", cu, err)
	}
	_, err = c.UpdateCategory(ctx, cat.ID, api.CategoryUpdate{Position: ptr(6), Version: cat.Version})
	wantCode(t, "stale category", err, api.CodeConflict, "version")

	v, err := c.CreateVOD(ctx, api.VODCreate{Title: "Film", SourceURL: "http://127.0.0.1/film.mp4", CategoryID: &cat.ID, Year: 1999, Rating: 7.5})
	if err != nil || v.Container != "mp4" || v.Rating != 7.5 {
		t.Fatalf("create vod: %+v, %v", v, err)
	}
	_, err = c.CreateVOD(ctx, api.VODCreate{Title: "No source"})
	wantCode(t, "no source", err, api.CodeInvalid, "stream_name")
	_, err = c.UpdateVOD(ctx, v.ID, api.VODUpdate{Year: ptr(2000), Version: v.Version + 5})
	wantCode(t, "stale vod", err, api.CodeConflict, "version")
	vu, err := c.UpdateVOD(ctx, v.ID, api.VODUpdate{Year: ptr(2000), Version: v.Version})
	if err != nil || vu.Year != 2000 || vu.Title != "Film" {
		t.Fatalf("update vod: %+v, %v", vu, err)
	}
	page, err := c.VODs(ctx, api.VODFilter{}, api.ListParams{Query: "fi"})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("search vod: %+v, %v", page, err)
	}
	if err := c.DeleteVOD(ctx, v.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteCategory(ctx, cat.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "get deleted category", func() error { _, err := c.Category(ctx, cat.ID); return err }(), api.CodeNotFound, "")
}

func TestSettings(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "operator-password")
	op := srv.SignIn(t, "noc", "operator-password")
	// The operator reads the settings but not the streamer secret, which
	// would let it impersonate streamer callbacks (see secret_walk_test.go).
	if os, err := op.Settings(ctx); err != nil || os.StreamerSecret != "" {
		t.Fatalf("operator reads settings: got secret %q, %v; want the settings without it", os.StreamerSecret, err)
	}
	s, err := srv.Admin.Settings(ctx)
	if err != nil {
		t.Fatalf("admin reads settings: %v", err)
	}
	if len(s.StreamerSecret) < 32 {
		t.Errorf("streamer secret %q: want at least 128 bits of hex", s.StreamerSecret)
	}
	if again, _ := srv.Admin.Settings(ctx); again.StreamerSecret != s.StreamerSecret {
		t.Errorf("secret changed between reads: %q then %q", s.StreamerSecret, again.StreamerSecret)
	}
	for _, tc := range []struct {
		url  string
		warn bool
	}{
		{"http://10.1.2.3:8080", true},
		{"http://localhost", true},
		{"http://iptv", true},
		{"https://iptv.example.com", false},
	} {
		t.Run(tc.url, func(t *testing.T) {
			cur, _ := srv.Admin.Settings(ctx)
			got, err := srv.Admin.UpdateSettings(ctx, api.SettingsUpdate{ExternalURL: &tc.url, Version: cur.Version})
			if err != nil {
				t.Fatal(err)
			}
			if (len(got.Warnings) > 0) != tc.warn {
				t.Errorf("warnings: got %v, want warning=%v", got.Warnings, tc.warn)
			}
			if want := tc.url + "/flussonic/" + got.StreamerSecret + "/auth"; got.AuthURL != want {
				t.Errorf("auth_url: got %q, want %q", got.AuthURL, want)
			}
			if want := tc.url + "/flussonic/" + got.StreamerSecret + "/config"; got.ConfigExternalURL != want {
				t.Errorf("config_external_url: got %q, want %q", got.ConfigExternalURL, want)
			}
		})
	}
	_, err = srv.Admin.UpdateSettings(ctx, api.SettingsUpdate{ExternalURL: ptr("https://a.example.com"), Version: 1})
	wantCode(t, "stale settings", err, api.CodeConflict, "version")
	_, err = srv.Admin.UpdateSettings(ctx, api.SettingsUpdate{ExternalURL: ptr("iptv.example.com"), Version: 0})
	wantCode(t, "relative external_url", err, api.CodeInvalid, "external_url")
	_, err = srv.Admin.UpdateSettings(ctx, api.SettingsUpdate{BackupKeep: ptr(0), Version: 0})
	wantCode(t, "backup_keep 0", err, api.CodeInvalid, "backup_keep")
	_, err = srv.Admin.UpdateSettings(ctx, api.SettingsUpdate{BackupIntervalHours: ptr(745), Version: 0})
	wantCode(t, "backup_interval_hours 745", err, api.CodeInvalid, "backup_interval_hours")
	before, _ := srv.Admin.Settings(ctx)
	rotated, err := srv.Admin.RotateStreamerSecret(ctx, 0)
	if err != nil || rotated.StreamerSecret == before.StreamerSecret || len(rotated.StreamerSecret) < 32 {
		t.Fatalf("rotate: got %q, %v; want a new secret (was %q)", rotated.StreamerSecret, err, before.StreamerSecret)
	}
	if body := rawGet(t, srv, "/api/v1/audit?entity=settings"); strings.Contains(body, rotated.StreamerSecret) {
		t.Errorf("audit log contains the streamer secret")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
