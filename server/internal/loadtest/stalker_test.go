//go:build loadtest

package loadtest

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"canale/server/internal/store/storetest"
	"canale/server/internal/testserver"
)

// stalkerSeedSQL is one subscriber holding one package of 5,000 channels
// in two genres, and their MAG box with a confirmed portal session: the
// Stalker benchmark of issue 17. Ids are far from AuthSeedSQL's, so it
// runs after that seed or alone.
const stalkerSeedSQL = `
INSERT INTO settings (id, streamer_secret) VALUES (1, 's3cret') ON CONFLICT (id) DO NOTHING;
INSERT INTO categories (id, kind, name) VALUES (9001, 'live', 'STB News'), (9002, 'live', 'STB Sport');
INSERT INTO channels (id, name, title, category_id, number, epg_channel_id, dvr_days)
  SELECT 50000 + i, 'stb' || i, 'STB Channel ' || i, 9001 + i % 2, i, 'stb' || i || '.example', (i % 3) * 3
  FROM generate_series(1, 5000) i;
INSERT INTO packages (id, name) VALUES (9000, 'stb-all');
INSERT INTO package_channels (package_id, channel_id, position) SELECT 9000, 50000 + i, i FROM generate_series(1, 5000) i;
INSERT INTO subscribers (id, login, password_hash, token, expires_at, max_sessions)
  VALUES (5000000, 'stbload', '$2a$10$abcdefghijklmnopqrstuuJ0123456789abcdefghijklmnopqrstu', 'stbload-token',
          now() + interval '30 days', 0);
INSERT INTO subscriber_packages (subscriber_id, package_id) VALUES (5000000, 9000);
INSERT INTO devices (subscriber_id, mac, token_hash, token_expires_at, last_channel_id)
  VALUES (5000000, '00:1A:79:5E:00:01', sha256('` + stalkerToken + `'::bytea), now() + interval '30 days', 52500);`

const stalkerToken = "5E0D9E6B2F4C1A7E3B5D8F0A2C4E6B8D"

// loadStalker measures the Stalker portal's channel pages (get_ordered_list
// over 5,000 channels, pages in random order) and create_link against
// /healthz, over HTTP on loopback with the box's cookie and session header
// on both sides.
func loadStalker(t *testing.T, srv *testserver.Server, wrkFor time.Duration) {
	storetest.Exec(t, srv.DSN(), stalkerSeedSQL)
	ctx := context.Background()
	if err := srv.App.Catalog().Load(ctx); err != nil {
		t.Fatalf("load catalog: %v", err)
	}
	headers := []string{"Cookie: mac=00%3A1A%3A79%3A5E%3A00%3A01", "Authorization: Bearer " + stalkerToken}
	r := rand.New(rand.NewPCG(17, 17))
	var pages, links []string
	for range 2048 {
		pages = append(pages, "/stalker_portal/server/load.php?type=itv&action=get_ordered_list&genre=*&p="+
			fmt.Sprint(1+r.IntN(358))+"&JsHttpRequest=1-xml")
		cmd := url.QueryEscape(fmt.Sprintf("ffmpeg http://localhost/ch/%d_", 50001+r.IntN(5000)))
		links = append(links, "/stalker_portal/server/load.php?type=itv&action=create_link&cmd="+cmd+"&JsHttpRequest=1-xml")
	}
	for _, p := range []string{pages[0], links[0]} {
		if body := get(t, srv.URL+p, headers); !strings.HasPrefix(body, `{"js":{"total_items":5000,`) &&
			!strings.HasPrefix(body, `{"js":{"cmd":"ffmpeg http`) {
			t.Fatalf("GET %s: %.300s", p, body)
		}
	}
	opts := wrkOptions{Threads: 2, Connections: 32, Duration: wrkFor, Headers: headers}
	rounds := envInt("CANALE_LOAD_ROUNDS", 3)
	for _, c := range []struct {
		test, name string
		paths      []string
	}{{"Pages", "get_ordered_list (5,000 channels, 14 a page)", pages}, {"CreateLink", "create_link", links}} {
		t.Run(c.test, func(t *testing.T) { // its own name for the profiles
			rs := wrkRounds(t, ctx, opts, srv.URL, noopPaths(c.paths), c.paths, rounds)
			med := medianRound(rs)
			summary(t, "stalker %s throughput ratio to no-op by round %s: median %.2f (target >= 0.8); median round %.0f req/s vs no-op %.0f req/s, p99 %v (no-op %v), non-2xx %d",
				c.name, ratios(rs), med.Ratio(), med.Measured.RequestsPerSec, med.Noop.RequestsPerSec, med.Measured.P99, med.Noop.P99,
				med.Measured.Non2xx3xx)
		})
	}
}

// get fetches u with headers and returns the body.
func get(t *testing.T, u string, headers []string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
