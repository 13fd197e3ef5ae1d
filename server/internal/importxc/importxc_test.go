package importxc_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"canale/server/internal/credential"
	"canale/server/internal/importxc"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/server/internal/testmariadb"
	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// canale is a fresh Canale database: the Store the importer writes through,
// and a plain connection the test reads the tables with.
type canale struct {
	st   *store.Store
	conn *pgx.Conn
	dsn  string
}

func newCanale(t *testing.T) *canale {
	t.Helper()
	dsn := storetest.DSN(t)
	st, err := store.Open(context.Background(), dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return &canale{st: st, conn: conn, dsn: dsn}
}

func (c *canale) value(t *testing.T, q string, args ...any) string {
	t.Helper()
	var s *string
	if err := c.conn.QueryRow(context.Background(), "SELECT ("+q+")::text", args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if s == nil {
		return "<null>"
	}
	return *s
}

// fingerprint is every table's row count and content hash, plus every
// sequence's position: two equal fingerprints mean an unchanged database.
func (c *canale) fingerprint(t *testing.T) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := c.conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	fp := map[string]string{}
	for _, tb := range tables {
		fp[tb] = c.value(t, `SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM `+tb+` x`)
	}
	rows, err = c.conn.Query(ctx, `SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences WHERE schemaname = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		var v int64
		rows.Scan(&name, &v)
		fp["seq "+name] = strconv.FormatInt(v, 10)
	}
	rows.Close()
	return fp
}

func diffFingerprints(t *testing.T, before, after map[string]string) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed: before %q, after %q", k, v, after[k])
		}
	}
	if len(after) != len(before) {
		t.Errorf("tables/sequences: before %d, after %d", len(before), len(after))
	}
}

func run(t *testing.T, x *xcDB, c *canale, opts importxc.Options) *importxc.Report {
	t.Helper()
	var progress bytes.Buffer
	opts.Progress = &progress
	rep, err := importxc.Run(context.Background(), x.open(t), c.st, opts)
	if err != nil {
		t.Fatalf("import: %v\nprogress:\n%s", err, progress.String())
	}
	return rep
}

func TestImportXC(t *testing.T) {
	srv := testmariadb.Start(t)
	x := newXC(t, srv, "xtream_iptvpro", 40, 60)
	c := newCanale(t)
	rep := run(t, x, c, importxc.Options{})
	var out bytes.Buffer
	rep.Write(&out)
	t.Logf("report:\n%s", out.String())

	t.Run("report", func(t *testing.T) {
		if rep.Dialect != importxc.DialectXC {
			t.Errorf("dialect = %q, want xc", rep.Dialect)
		}
		want := map[string]int{"streamers": 3, "categories": 6, "channels": 6 + 60, "vod": 2, "packages": 4,
			"resellers": 7, "subscribers": 4 + 40, "offers": 1}
		for e, n := range want {
			if rep.Imported[e] != n {
				t.Errorf("imported %s = %d, want %d", e, rep.Imported[e], n)
			}
		}
		for _, want := range []string{"series episode", "panel administrator", "already taken", "category type \"catchup\"",
			"offers               1", "epg_sources          1", "need a password reset"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("report lacks %q", want)
			}
		}
	})

	t.Run("counts", func(t *testing.T) {
		for table, want := range map[string]string{"streamers": "3", "categories": "6", "channels": "66", "vod": "2",
			"packages": "5", "resellers": "7", "subscribers": "44", "package_channels": "11", "package_vod": "3",
			"subscriber_packages": "43"} {
			if got := c.value(t, "SELECT count(*) FROM "+table); got != want {
				t.Errorf("%s: %s rows, want %s", table, got, want)
			}
		}
	})

	t.Run("ids preserved", func(t *testing.T) {
		for q, want := range map[string]string{
			"SELECT string_agg(id::text, ',' ORDER BY id) FROM channels WHERE id < 1000":    "10,11,12,13,14,40",
			"SELECT string_agg(id::text, ',' ORDER BY id) FROM vod":                         "20,21",
			"SELECT string_agg(id::text, ',' ORDER BY id) FROM categories":                  "1,2,3,4,6,8",
			"SELECT string_agg(id::text, ',' ORDER BY id) FROM packages":                    "1,2,3,4,5",
			"SELECT string_agg(id::text, ',' ORDER BY id) FROM resellers":                   "2,3,4,5,6,7,8",
			"SELECT string_agg(id::text, ',' ORDER BY id) FROM subscribers WHERE id < 1000": "1,2,3,5",
			"SELECT string_agg(id::text, ',' ORDER BY id) FROM streamers":                   "1,3,5",
			"SELECT min(id) || '-' || max(id) FROM subscribers WHERE id >= 1000":            "1000-1039",
		} {
			if got := c.value(t, q); got != want {
				t.Errorf("%s = %s, want %s", q, got, want)
			}
		}
	})

	t.Run("channels", func(t *testing.T) {
		for q, want := range map[string]string{
			"SELECT name FROM channels WHERE id = 10":                        "premiere_tv_hd",
			"SELECT name FROM channels WHERE id = 11":                        "premiere_tv_hd_11",
			"SELECT title FROM channels WHERE id = 11":                       "Première TV HD",
			"SELECT name FROM channels WHERE id = 12":                        "pervyi_kanal",
			"SELECT name FROM channels WHERE id = 13":                        "channel",
			"SELECT sources FROM channels WHERE id = 10":                     `[{"url": "http://src.example/a.ts", "priority": 1}, {"url": "udp://239.0.0.1:1234", "priority": 2}]`,
			"SELECT sources FROM channels WHERE id = 12":                     `[]`,
			"SELECT logo_url FROM channels WHERE id = 10":                    "http://logo.example/p.png",
			"SELECT epg_channel_id FROM channels WHERE id = 10":              "premiere.fr",
			"SELECT dvr_days FROM channels WHERE id = 10":                    "3",
			"SELECT dvr_days FROM channels WHERE id = 11":                    "0",
			"SELECT category_id FROM channels WHERE id = 11":                 "4",
			"SELECT category_id FROM channels WHERE id = 13":                 "<null>",
			"SELECT number FROM channels WHERE id = 10":                      "3",
			"SELECT name FROM categories WHERE id = 4":                       "sports (2)",
			"SELECT kind FROM categories WHERE id = 6":                       "live",
			"SELECT name FROM categories WHERE id = 8":                       "Category 8",
			"SELECT count(DISTINCT name) FROM channels":                      "66",
			"SELECT count(*) FROM channels WHERE name !~ '^[a-zA-Z0-9_-]+$'": "0",
			"SELECT title || '|' || source_url || '|' || container || '|' || poster_url || '|' || description || '|' || year || '|' || rating || '|' || duration_s FROM vod WHERE id = 20": "The Movie (2020)|http://vod.example/m.mkv|mkv|http://img.example/m.jpg|A plot.|2020|7.50|5400",
			"SELECT source_url || '|' || container || '|' || coalesce(category_id::text, 'none') FROM vod WHERE id = 21":                                                                   "http://vod.example/o.mp4|mp4|none",
			"SELECT api_url || '|' || enabled FROM streamers WHERE id = 1":                                                                                                                 "http://tv.example.com|false",
			"SELECT name FROM streamers WHERE id = 5": "main server (2)",
		} {
			if got := c.value(t, q); got != want {
				t.Errorf("%s\n got %s\nwant %s", q, got, want)
			}
		}
	})

	t.Run("packages", func(t *testing.T) {
		for q, want := range map[string]string{
			"SELECT string_agg(channel_id::text, ',' ORDER BY position) FROM package_channels WHERE package_id = 1":         "10,11,12",
			"SELECT string_agg(vod_id::text, ',' ORDER BY position) FROM package_vod WHERE package_id = 1":                  "20",
			"SELECT string_agg(channel_id::text, ',' ORDER BY position) FROM package_channels WHERE package_id = 2":         "10,14,40",
			"SELECT string_agg(vod_id::text, ',') FROM package_vod WHERE package_id = 4":                                    "21",
			"SELECT name FROM packages WHERE id = 4":                                                                        "basic (2)",
			"SELECT string_agg(package_id::text, ',' ORDER BY package_id) FROM subscriber_packages WHERE subscriber_id = 1": "1,2",
			"SELECT string_agg(package_id::text, ',') FROM subscriber_packages WHERE subscriber_id = 5":                     "2",
			"SELECT count(*) FROM subscriber_packages WHERE subscriber_id IN (2, 3)":                                        "0",
		} {
			if got := c.value(t, q); got != want {
				t.Errorf("%s\n got %s\nwant %s", q, got, want)
			}
		}
	})

	t.Run("resellers", func(t *testing.T) {
		for q, want := range map[string]string{
			"SELECT coalesce(parent_id::text, 'root') || '|' || credits || '|' || status || '|' || contact || '|' || notes FROM resellers WHERE id = 2": "root|150.50|active|a@example.com|top reseller",
			"SELECT parent_id || '|' || credits FROM resellers WHERE id = 3":                                                                            "2|20.00",
			"SELECT password_hash FROM resellers WHERE id = 3":                                                                                          "!reset-required",
			"SELECT status FROM resellers WHERE id = 4":                                                                                                 "disabled",
			"SELECT coalesce(parent_id::text, 'root') FROM resellers WHERE id = 8":                                                                      "root",
			"SELECT credits || '|' || parent_id FROM resellers WHERE id = 7":                                                                            "0.00|3",
			"SELECT status FROM resellers WHERE id = 6":                                                                                                 "disabled",
			"SELECT count(*) FROM resellers WHERE id IN (5, 6) AND parent_id IS NOT NULL":                                                               "1",
			"SELECT count(*) FROM subscribers WHERE reseller_id = 2":                                                                                    "41",
		} {
			if got := c.value(t, q); got != want {
				t.Errorf("%s\n got %s\nwant %s", q, got, want)
			}
		}
		hash := c.value(t, "SELECT password_hash FROM resellers WHERE login = 'resA'")
		if err := credential.VerifyPassword(hash, "resApass"); err != nil {
			t.Errorf("reseller resA cannot sign in with the XC password: %v", err)
		}
		if err := credential.VerifyPassword(hash, "wrong"); !errors.Is(err, credential.ErrMismatch) {
			t.Errorf("reseller resA wrong password: %v, want ErrMismatch", err)
		}
	})

	t.Run("subscribers", func(t *testing.T) {
		for q, want := range map[string]string{
			"SELECT status || '|' || max_sessions || '|' || expires_at || '|' || reseller_id || '|' || trial FROM subscribers WHERE id = 1":                                                                     "active|2|2031-05-06 07:08:09+00|2|false",
			"SELECT allowed_ips::text FROM subscribers WHERE id = 1":                                                                                                                                            "{1.2.3.4,10.0.0.0/8}",
			"SELECT notes FROM subscribers WHERE id = 1":                                                                                                                                                        "VIP\nReseller notes: pays cash",
			"SELECT (attributes->>'is_mag') || (attributes->>'forced_country') || (attributes->'allowed_outputs')::text FROM subscribers WHERE id = 1":                                                          `trueFR["m3u8", "ts"]`,
			"SELECT status || '|' || token FROM subscribers WHERE id = 2":                                                                                                                                       "banned|" + strings.ToLower(hexToken),
			"SELECT status || '|' || coalesce(expires_at::text, 'never') || '|' || coalesce(reseller_id::text, 'none') || '|' || length(token) FROM subscribers WHERE id = 3":                                   "disabled|never|none|32",
			"SELECT max_sessions || '|' || trial || '|' || allowed_user_agents::text || '|' || coalesce(expires_at::text, 'never') || '|' || coalesce(reseller_id::text, 'none') FROM subscribers WHERE id = 5": "0|true|{=VLC/3.0,=Kodi}|1970-01-01 00:00:00+00|none",
			"SELECT created_at FROM subscribers WHERE id = 1":                                                                                                                                                   "2020-09-13 12:26:40+00",
			"SELECT count(DISTINCT token) FROM subscribers":                                                                                                                                                     "44",
		} {
			if got := c.value(t, q); got != want {
				t.Errorf("%s\n got %s\nwant %s", q, got, want)
			}
		}
		for login, password := range map[string]string{"alice": "pa ss/wörd", "bob": "bobpass", "carol": "", "dave": "  spaced  ", "line1007": "pw-1007"} {
			hash := c.value(t, "SELECT password_hash FROM subscribers WHERE login = $1", login)
			if err := credential.VerifyPassword(hash, password); err != nil {
				t.Errorf("line %s cannot authenticate with its XC password %q: %v", login, password, err)
			}
			if err := credential.VerifyPassword(hash, password+"x"); !errors.Is(err, credential.ErrMismatch) {
				t.Errorf("line %s wrong password: %v, want ErrMismatch", login, err)
			}
		}
	})

	t.Run("sequences advanced", func(t *testing.T) {
		for table, q := range map[string]string{
			"channels":    `INSERT INTO channels (name, title) VALUES ('after_import', 'After') RETURNING id`,
			"subscribers": `INSERT INTO subscribers (login, password_hash, token) VALUES ('after', 'x', 'after-token') RETURNING id`,
			"resellers":   `INSERT INTO resellers (login, password_hash) VALUES ('after', 'x') RETURNING id`,
			"packages":    `INSERT INTO packages (name) VALUES ('after') RETURNING id`,
			"categories":  `INSERT INTO categories (kind, name) VALUES ('vod', 'after') RETURNING id`,
			"vod":         `INSERT INTO vod (title) VALUES ('after') RETURNING id`,
			"streamers":   `INSERT INTO streamers (name, api_url) VALUES ('after', 'http://x') RETURNING id`,
		} {
			max := c.value(t, "SELECT max(id) FROM "+table)
			var id int64
			if err := c.conn.QueryRow(context.Background(), q).Scan(&id); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			if got := c.value(t, "SELECT $1::bigint > (SELECT max(id) FROM "+table+" WHERE id <> $1)", id); got != "true" {
				t.Errorf("%s: new id %d not above imported max %s", table, id, max)
			}
		}
	})

	t.Run("audit", func(t *testing.T) {
		if got := c.value(t, "SELECT action || '|' || entity || '|' || actor_kind || '|' || (after->'imported'->>'channels') FROM audit_log"); got != "import|catalog|system|66" {
			t.Errorf("audit record = %s", got)
		}
	})
}

func TestImportXUI(t *testing.T) {
	srv := testmariadb.Start(t)
	x := newXUI(t, srv, "xui")
	c := newCanale(t)
	rep := run(t, x, c, importxc.Options{})
	if rep.Dialect != importxc.DialectXUI {
		t.Errorf("dialect = %q, want xui", rep.Dialect)
	}
	for q, want := range map[string]string{
		"SELECT string_agg(id || ':' || name || ':' || coalesce(category_id::text, '-'), ',' ORDER BY id) FROM channels":   "101:news_24:5,102:unicode_news:5,104:xui_radio:-",
		"SELECT id || ':' || description || ':' || year || ':' || rating || ':' || category_id FROM vod":                   "103:xui plot:2019:6.40:6",
		"SELECT string_agg(channel_id::text, ',' ORDER BY position) FROM package_channels WHERE package_id = 7":            "101,102,104",
		"SELECT string_agg(vod_id::text, ',') FROM package_vod WHERE package_id = 7":                                       "103",
		"SELECT string_agg(id || ':' || coalesce(parent_id::text, '-') || ':' || credits, ',' ORDER BY id) FROM resellers": "9:-:12.25,10:9:3.00",
		"SELECT reseller_id || '|' || token || '|' || contact || '|' || max_sessions FROM subscribers WHERE id = 500":      "10|abcdefabcdef0123456789abcdefabcd|tel:123|3",
		"SELECT (attributes->'allowed_outputs')::text || (attributes->>'package_id') FROM subscribers WHERE id = 500":      `["m3u8", "ts"]1`,
		"SELECT string_agg(package_id::text, ',') FROM subscriber_packages WHERE subscriber_id = 501":                      "7",
		"SELECT api_url FROM streamers WHERE id = 2":                                                                       "http://xui.example.com",
	} {
		if got := c.value(t, q); got != want {
			t.Errorf("%s\n got %s\nwant %s", q, got, want)
		}
	}
	hash := c.value(t, "SELECT password_hash FROM subscribers WHERE login = 'xuiline'")
	if err := credential.VerifyPassword(hash, "xui-pass"); err != nil {
		t.Errorf("XUI line cannot authenticate: %v", err)
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	srv := testmariadb.Start(t)
	x := newXC(t, srv, "xtream_iptvpro", 5, 5)
	c := newCanale(t)
	before := c.fingerprint(t)
	dry := run(t, x, c, importxc.Options{DryRun: true})
	diffFingerprints(t, before, c.fingerprint(t))

	real := run(t, x, c, importxc.Options{})
	for _, e := range []string{"channels", "vod", "packages", "resellers", "subscribers", "subscriber_packages",
		"series", "seasons", "episodes", "package_series"} {
		if dry.Imported[e] != real.Imported[e] || real.Imported[e] == 0 {
			t.Errorf("%s: dry run %d, real run %d", e, dry.Imported[e], real.Imported[e])
		}
	}
	if !dry.DryRun || real.DryRun {
		t.Errorf("DryRun flags: dry %v, real %v", dry.DryRun, real.DryRun)
	}
}

func TestRefusesNonEmptyCatalogUnlessReplace(t *testing.T) {
	srv := testmariadb.Start(t)
	x := newXC(t, srv, "xtream_iptvpro", 3, 3)
	c := newCanale(t)
	run(t, x, c, importxc.Options{})
	before := c.fingerprint(t)

	_, err := importxc.Run(context.Background(), x.open(t), c.st, importxc.Options{})
	if api.ErrorCode(err) != api.CodeConflict || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("second import without replace: err = %v, want a conflict naming the non-empty catalog", err)
	}
	diffFingerprints(t, before, c.fingerprint(t))

	x.exec(t, `DELETE FROM users WHERE id >= 1000`)
	rep := run(t, x, c, importxc.Options{Replace: true})
	if got := c.value(t, "SELECT count(*) FROM subscribers"); got != "4" || rep.Imported["subscribers"] != 4 {
		t.Errorf("after replace: %s subscribers (report %d), want 4", got, rep.Imported["subscribers"])
	}
}

func TestFailedImportLeavesDatabaseUnchanged(t *testing.T) {
	srv := testmariadb.Start(t)
	first := newXC(t, srv, "first", 3, 3)
	c := newCanale(t)
	run(t, first, c, importxc.Options{})
	before := c.fingerprint(t)

	// A replacing import whose MySQL connection dies after the catalog was
	// emptied and the streams, packages and resellers were loaded.
	second := newXC(t, srv, "xtream_iptvpro", 20, 20)
	phases, err := importKilledAt(t, second, c, "subscribers")
	if err == nil {
		t.Fatal("import with a killed MySQL connection succeeded")
	}
	t.Logf("error (expected): %v; phases %v", err, phases)
	if !strings.Contains(strings.Join(phases, ","), "resellers,offers,subscribers") {
		t.Errorf("phases = %v, want the failure after resellers were loaded", phases)
	}
	diffFingerprints(t, before, c.fingerprint(t))
}

// importKilledAt runs a replacing import of x and kills its MySQL
// connection as phase starts; it returns the phases begun and the error.
func importKilledAt(t *testing.T, x *xcDB, c *canale, phase string) ([]string, error) {
	t.Helper()
	var phases []string
	_, err := importxc.Run(context.Background(), x.open(t), c.st, importxc.Options{Replace: true,
		OnPhase: func(p string) {
			phases = append(phases, p)
			if p == phase {
				x.killOthers(t)
			}
		}})
	return phases, err
}
