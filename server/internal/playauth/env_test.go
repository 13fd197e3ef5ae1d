package playauth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"canale/server/internal/app"
	"canale/server/internal/config"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"

	"github.com/gin-gonic/gin"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.ReleaseMode)
	storetest.Main(m)
}

const secret = "s3cret"

// instance is one Canale server over a database that tests seed with SQL.
type instance struct {
	dsn   string
	store *store.Store
	app   *app.App
	url   string
}

// startInstance starts a full app on dsn (a new database when empty).
func startInstance(tb testing.TB, dsn string) *instance {
	tb.Helper()
	if dsn == "" {
		dsn = storetest.DSN(tb)
	}
	s, err := store.Open(context.Background(), dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	cfg, err := config.Parse("test", []string{"--data-dir", tb.TempDir()}, func(string) string { return "" }, io.Discard)
	if err != nil {
		tb.Fatal(err)
	}
	a := app.New(cfg, s, slog.New(slog.DiscardHandler), "test")
	ctx, cancel := context.WithCancel(context.Background())
	a.Run(ctx)
	ts := httptest.NewServer(a.Handler())
	tb.Cleanup(func() { ts.Close(); cancel(); a.Wait(); s.Close() })
	return &instance{dsn: dsn, store: s, app: a, url: ts.URL}
}

func (in *instance) exec(tb testing.TB, sql string, args ...any) {
	tb.Helper()
	storetest.Exec(tb, in.dsn, sql, args...)
}

// reload makes the catalog see rows seeded with SQL (which send no NOTIFY).
func (in *instance) reload(tb testing.TB) {
	tb.Helper()
	if err := in.app.Catalog().Load(context.Background()); err != nil {
		tb.Fatalf("reload catalog: %v", err)
	}
}

// seed is the fixture of the conformance tests. Channels: ch1 and dvr1 and
// off1 in package basic, ch2 in no package, free1 free, fp1 in the free
// package. Subscribers are named by what is special about them; tokens are
// "tok-" + login.
const seed = `
INSERT INTO settings (id, external_url, streamer_secret, data) VALUES
  (1, 'http://canale.test', 's3cret', '{"auth_duration_s": 30, "publish_key": "pubkey"}')
  ON CONFLICT (id) DO UPDATE SET external_url = EXCLUDED.external_url, streamer_secret = EXCLUDED.streamer_secret, data = EXCLUDED.data;
INSERT INTO resellers (id, login, password_hash, status) VALUES (1, 'r-on', 'x', 'active'), (2, 'r-off', 'x', 'disabled');
INSERT INTO channels (id, name, title, dvr_days, enabled, free) VALUES
  (1, 'ch1', 'Channel 1', 0, true, false), (2, 'ch2', 'Channel 2', 0, true, false),
  (3, 'free1', 'Free 1', 0, true, true), (4, 'fp1', 'Free package 1', 0, true, false),
  (5, 'dvr1', 'DVR 1', 7, true, false), (6, 'off1', 'Off 1', 0, false, false);
INSERT INTO packages (id, name, free) VALUES (1, 'basic', false), (2, 'freebies', true);
INSERT INTO package_channels (package_id, channel_id) VALUES (1, 1), (1, 5), (1, 6), (2, 4);
INSERT INTO subscribers (id, login, password_hash, token, status, expires_at, max_sessions, allowed_ips, allowed_user_agents, reseller_id) VALUES
  (1, 'good', 'x', 'tok-good', 'active', now() + interval '1 day', 0, '{}', '{}', NULL),
  (2, 'expired', 'x', 'tok-expired', 'active', now() - interval '1 day', 0, '{}', '{}', NULL),
  (3, 'disabled', 'x', 'tok-disabled', 'disabled', NULL, 0, '{}', '{}', NULL),
  (4, 'banned', 'x', 'tok-banned', 'banned', NULL, 0, '{}', '{}', NULL),
  (5, 'resold', 'x', 'tok-resold', 'active', NULL, 0, '{}', '{}', 1),
  (6, 'resold-off', 'x', 'tok-resold-off', 'active', NULL, 0, '{}', '{}', 2),
  (7, 'iponly', 'x', 'tok-iponly', 'active', NULL, 0, '{10.0.0.0/8, 192.0.2.7}', '{}', NULL),
  (8, 'uaonly', 'x', 'tok-uaonly', 'active', NULL, 0, '{}', '{VLC}', NULL),
  (9, 'limited', 'x', 'tok-limited', 'active', NULL, 1, '{}', '{}', NULL),
  (10, 'nopkg', 'x', 'tok-nopkg', 'active', NULL, 0, '{}', '{}', NULL);
INSERT INTO subscriber_packages (subscriber_id, package_id) SELECT id, 1 FROM subscribers WHERE id <> 10;
SELECT setval('subscribers_id_seq', 100);
`

func startSeeded(tb testing.TB) *instance {
	tb.Helper()
	in := startInstance(tb, "")
	in.exec(tb, seed)
	in.reload(tb)
	return in
}

// play asks GET /flussonic/{secret}/auth with q on top of a valid new
// session of "good" on ch1.
func play(tb testing.TB, base string, q url.Values) *http.Response {
	tb.Helper()
	v := url.Values{"name": {"ch1"}, "proto": {"hls"}, "ip": {"192.0.2.7"}, "request_type": {"new_session"},
		"request_number": {"0"}, "session_id": {"sess-" + strings.ReplaceAll(tb.Name(), "/", "-")},
		"stream_clients": {"1"}, "total_clients": {"2"}, "token": {"tok-good"}}
	for k, x := range q {
		v[k] = x
	}
	for k, x := range v {
		if len(x) == 1 && x[0] == "-" {
			delete(v, k)
		}
	}
	return get(tb, base+"/flussonic/"+secret+"/auth?"+v.Encode(), nil)
}

var client = &http.Client{Timeout: 30 * time.Second}

func get(tb testing.TB, u string, h http.Header) *http.Response {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", u, err)
	}
	tb.Cleanup(func() { resp.Body.Close() })
	return resp
}
