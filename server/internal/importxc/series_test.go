package importxc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"canale/server/internal/importxc"
	"canale/server/internal/testmariadb"
	"canale/server/internal/testserver"
)

// TestImportSeries imports the series of both dialects' fixtures (XC's
// `series` + `series_episodes`, XUI's `streams_series` + `streams_episodes`)
// and checks the rows and ids in PostgreSQL, then what an XC app sees of
// them through player_api.
func TestImportSeries(t *testing.T) {
	srv := testmariadb.Start(t)

	t.Run("xc", func(t *testing.T) {
		x := newXC(t, srv, "xc_series", 2, 0)
		c := newCanale(t)
		rep := run(t, x, c, importxc.Options{})
		out := reportText(t, rep)

		expectImported(t, rep, map[string]int{"series": 3, "seasons": 3, "episodes": 4, "package_series": 2 + 1})
		tables := map[string]importxc.TableCount{}
		for _, tc := range rep.Tables {
			tables[tc.Table] = tc
		}
		for table, want := range map[string]importxc.TableCount{
			"series":          {Table: "series", Read: 3, Imported: 3},
			"series_episodes": {Table: "series_episodes", Read: 7, Imported: 4, Skipped: 3},
		} {
			if tables[table] != want {
				t.Errorf("table %s: got %+v, want %+v", table, tables[table], want)
			}
		}
		skipped := expectSkips(t, rep, map[string]string{
			"streams 33":         "series episode in no imported series",
			"streams 34":         "series episode in no imported series",
			"series_episodes 20": "not a series episode",
			"series_episodes 34": "series 99 was not imported",
			"series_episodes 31": "already an episode of series 1",
		})
		if _, ok := skipped["streams 30"]; ok {
			t.Errorf("stream 30, an episode of series 1, was skipped: %s", skipped["streams 30"])
		}
		for _, want := range []string{"Source tables:", "series_episodes", "1 seasons listed in series' `seasons` JSON",
			"4 episodes had no episode number", `tmdb_id "tt99" is not a number`, "1 bouquet_series entries"} {
			if !strings.Contains(out, want) {
				t.Errorf("report lacks %q", want)
			}
		}

		c.expect(t, map[string]string{
			"SELECT string_agg(id::text, ',' ORDER BY id) FROM series":                           "1,2,3",
			"SELECT string_agg(id::text, ',' ORDER BY id) FROM series_episodes":                  "30,31,32,35",
			"SELECT string_agg(id::text, ',' ORDER BY id) FROM categories WHERE kind = 'series'": "3",
			"SELECT title || '|' || category_id || '|' || cover_url || '|' || genre || '|' || plot || '|' || cast_names || '|' || rating || '|' || director || '|' || release_date || '|' || backdrop_urls::text || '|' || trailer || '|' || tmdb_id || '|' || episode_run_time || '|' || created_at FROM series WHERE id = 1": "Drama|3|http://img.example/d.jpg|Drama, Crime|A drama.|Ann, Bob|8.00|Dee|2021-09-10|{http://img.example/b1.jpg,http://img.example/b2.jpg}|abc123|777|45|2020-09-13 12:26:40+00",
			"SELECT category_id || '|' || cover_url FROM series WHERE id = 2": "3|http://img.example/c.jpg",
			"SELECT coalesce(category_id::text, '-') || '|' || coalesce(release_date::text, '-') || '|' || episode_run_time || '|' || backdrop_urls::text FROM series WHERE id = 3":                                                           "-|-|0|{}",
			"SELECT string_agg(s.id || ':' || s.series_id || ':' || s.season_number || ':' || s.name, ',' ORDER BY s.id) FROM series_seasons s":                                                                                               "1:1:1:First Season,2:1:2:Season 2,3:2:0:Specials",
			"SELECT overview || '|' || cover_url || '|' || air_date FROM series_seasons WHERE id = 1":                                                                                                                                         "First.|http://img.example/s1.jpg|2021-09-10",
			"SELECT string_agg(id || ':' || season_id || ':' || episode_num, ',' ORDER BY id) FROM series_episodes":                                                                                                                           "30:1:1,31:1:2,32:2:1,35:3:1",
			"SELECT title || '|' || source_url || '|' || container || '|' || plot || '|' || duration_s || '|' || rating || '|' || release_date || '|' || image_url || '|' || tmdb_id || '|' || created_at FROM series_episodes WHERE id = 31": "Drama S01E02|http://vod.example/e2.mkv|mkv|Second.|2530|8.10|2021-09-17|http://img.example/e2.jpg|12345|2020-09-13 12:26:40+00",
			"SELECT source_url || '|' || container || '|' || duration_s || '|' || tmdb_id FROM series_episodes WHERE id = 32":                                                                                                                 "http://vod.example/s2e1.mp4|mp4|3000|",
			"SELECT string_agg(package_id || ':' || series_id, ',' ORDER BY package_id) FROM package_series":                                                                                                                                  "1:2,4:1,5:2",
			"SELECT count(*) FROM vod WHERE id BETWEEN 30 AND 35":                                                                                                                                                                             "0",
		})

		// New rows get ids past the imported ones; a new movie or episode
		// past both movies and episodes, which share one id space.
		for table, q := range map[string]string{
			"vod":             `INSERT INTO vod (title) VALUES ('after') RETURNING id`,
			"series_episodes": `INSERT INTO series_episodes (season_id, episode_num) VALUES (1, 99) RETURNING id`,
			"series":          `INSERT INTO series (title) VALUES ('after') RETURNING id`,
			"series_seasons":  `INSERT INTO series_seasons (series_id, season_number) VALUES (3, 1) RETURNING id`,
		} {
			var id int64
			if err := c.conn.QueryRow(context.Background(), q).Scan(&id); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			top := c.value(t, "SELECT greatest((SELECT max(id) FROM "+table+" WHERE id <> $1), (SELECT max(id) FROM series_episodes WHERE id <> $1))", id)
			if table == "series" || table == "series_seasons" {
				top = c.value(t, "SELECT max(id) FROM "+table+" WHERE id <> $1", id)
			}
			if got := c.value(t, "SELECT $1::bigint > $2::bigint", id, top); got != "true" {
				t.Errorf("%s: new id %d not above imported max %s", table, id, top)
			}
		}

		// line1000 has bouquet 1, which holds series 2 only.
		s := testserver.StartOn(t, c.dsn)
		list := playerAPI[[]map[string]any](t, s.URL, "line1000", "pw-1000", "get_series", "")
		if len(list) != 1 || fmt.Sprint(list[0]["series_id"]) != "2" {
			t.Errorf("get_series for line1000: %v, want series 2 only", list)
		}
		info := playerAPI[seriesInfo](t, s.URL, "line1000", "pw-1000", "get_series_info", "2")
		if eps := info.Episodes["0"]; len(eps) != 1 || eps[0].ID != "35" || len(info.Seasons) != 1 || info.Seasons[0].Name != "Specials" {
			t.Errorf("get_series_info 2: %+v, want season 0 with episode 35", info)
		}
		if info := playerAPI[seriesInfo](t, s.URL, "line1000", "pw-1000", "get_series_info", "1"); len(info.Seasons) != 0 {
			t.Errorf("get_series_info 1 outside line1000's packages: %+v, want nothing", info)
		}
	})

	t.Run("xui", func(t *testing.T) {
		x := newXUI(t, srv, "xui_series")
		c := newCanale(t)
		rep := run(t, x, c, importxc.Options{})
		out := reportText(t, rep)
		// Sale package 1 ("Month", bouquet 7) is package 8 and holds it too.
		expectImported(t, rep, map[string]int{"series": 1, "seasons": 1, "episodes": 3, "package_series": 1 + 1})
		if !strings.Contains(out, "episode 107 (series 201 season 1) numbered 3: episode 2 is taken") {
			t.Errorf("report does not name the renumbered episode")
		}
		c.expect(t, map[string]string{
			"SELECT id || '|' || title || '|' || category_id || '|' || cover_url || '|' || rating || '|' || release_date || '|' || tmdb_id || '|' || backdrop_urls::text || '|' || episode_run_time FROM series": "201|XUI Show|8|http://i.example/c.jpg|7.25|2020-01-31|4242|{http://i.example/bd.jpg}|30",
			"SELECT string_agg(id || ':' || episode_num || ':' || container, ',' ORDER BY id) FROM series_episodes":                                                                                              "105:1:mp4,106:2:mkv,107:3:mp4",
			"SELECT plot || '|' || duration_s || '|' || release_date FROM series_episodes WHERE id = 105":                                                                                                        "xui ep|1200|2020-02-01",
			"SELECT rating FROM series_episodes WHERE id = 106":                                                                                                                                                  "6.50",
			"SELECT series_id || ':' || season_number || ':' || name FROM series_seasons":                                                                                                                        "201:1:Season 1",
			"SELECT string_agg(package_id || ':' || series_id, ',' ORDER BY package_id) FROM package_series":                                                                                                     "7:201,8:201",
		})

		s := testserver.StartOn(t, c.dsn)
		info := playerAPI[seriesInfo](t, s.URL, "xuiline", "xui-pass", "get_series_info", "201")
		var ids []string
		for _, e := range info.Episodes["1"] {
			ids = append(ids, e.ID+"."+e.ContainerExtension)
		}
		if got := strings.Join(ids, ","); got != "105.mp4,106.mkv,107.mp4" || len(info.Seasons) != 1 || info.Seasons[0].EpisodeCount != 3 {
			t.Errorf("get_series_info 201: episodes %s, seasons %+v; want 105.mp4,106.mkv,107.mp4 in one season", got, info.Seasons)
		}
	})
}

// reportText is the report as the CLI prints it, logged for the reader.
func reportText(t *testing.T, rep *importxc.Report) string {
	t.Helper()
	var out bytes.Buffer
	rep.Write(&out)
	t.Logf("report:\n%s", out.String())
	return out.String()
}

func expectImported(t *testing.T, rep *importxc.Report, want map[string]int) {
	t.Helper()
	for e, n := range want {
		if rep.Imported[e] != n {
			t.Errorf("imported %s = %d, want %d", e, rep.Imported[e], n)
		}
	}
}

// expectSkips checks that each "table id" was skipped for a reason that
// says the given words, and returns every skip's reasons by "table id".
func expectSkips(t *testing.T, rep *importxc.Report, want map[string]string) map[string]string {
	t.Helper()
	skipped := map[string]string{}
	for _, s := range rep.Skipped {
		skipped[fmt.Sprintf("%s %d", s.Table, s.ID)] += s.Reason
	}
	for key, reason := range want {
		if !strings.Contains(skipped[key], reason) {
			t.Errorf("skip of %s: %q, want it to say %q", key, skipped[key], reason)
		}
	}
	return skipped
}

// expect checks each query's value.
func (c *canale) expect(t *testing.T, want map[string]string) {
	t.Helper()
	for q, w := range want {
		if got := c.value(t, q); got != w {
			t.Errorf("%s\n got %s\nwant %s", q, got, w)
		}
	}
}

type seriesInfo struct {
	Seasons []struct {
		SeasonNumber int    `json:"season_number"`
		Name         string `json:"name"`
		EpisodeCount int    `json:"episode_count"`
	} `json:"seasons"`
	Episodes map[string][]struct {
		ID                 string `json:"id"`
		EpisodeNum         int    `json:"episode_num"`
		ContainerExtension string `json:"container_extension"`
	} `json:"episodes"`
}

// playerAPI calls an XC player_api action as an app does and decodes the
// answer into T.
func playerAPI[T any](t *testing.T, base, login, password, action, seriesID string) T {
	t.Helper()
	q := url.Values{"username": {login}, "password": {password}, "action": {action}}
	if seriesID != "" {
		q.Set("series_id", seriesID)
	}
	var body T
	res, err := http.Get(base + "/player_api.php?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%s as %s: %d, %v", action, login, res.StatusCode, err)
	}
	return body
}
