package importxc_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"canale/server/internal/importxc"
	"canale/server/internal/testmariadb"
)

// setVODStorages sets Canale's vod_storages setting to the prefixes, each
// served by one streamer.
func (c *canale) setVODStorages(t *testing.T, prefixes ...string) {
	t.Helper()
	var list []string
	for _, p := range prefixes {
		list = append(list, fmt.Sprintf(`{"prefix":%q,"streamers":["edge-1"]}`, p))
	}
	if _, err := c.conn.Exec(context.Background(), `INSERT INTO settings (id, data) VALUES (1, jsonb_build_object('vod_storages', $1::jsonb))
		ON CONFLICT (id) DO UPDATE SET data = excluded.data`, "["+strings.Join(list, ",")+"]"); err != nil {
		t.Fatal(err)
	}
}

// localSources indexes the report's local sources by "table id source".
func localSources(rep *importxc.Report) map[string]importxc.LocalSource {
	out := map[string]importxc.LocalSource{}
	for _, l := range rep.LocalSources {
		out[fmt.Sprintf("%s %d %s", l.Table, l.ID, l.Source)] = l
	}
	return out
}

// TestImportLocalSources imports movies, episodes and channels whose source
// is a file on an XC server (s:N:/path, a bare /path) in both dialects:
// those a --vod-path directory or a vod_storages prefix covers play from
// that VOD path; the others are imported disabled; every one is listed in
// the report, the dry run's included.
func TestImportLocalSources(t *testing.T) {
	srv := testmariadb.Start(t)

	t.Run("xc", func(t *testing.T) {
		x := newXC(t, srv, "xc_local", 0, 0)
		x.exec(t, `INSERT INTO streams (id, type, category_id, stream_display_name, stream_source, stream_icon, transcode_attributes,
			custom_ffmpeg, movie_subtitles, auto_restart, pids_create_channel, cchannel_rsources, added, custom_map, external_push) VALUES
			(50, 2, 2, 'Local A', '["s:6:\\/home\\/xtreamcodes\\/films\\/action\\/a.mkv"]', '', '', '', '', '', '', '', 0, '', ''),
			(51, 2, 2, 'Local B', '["\\/movies\\/b.mp4"]', '', '', '', '', '', '', '', 0, '', ''),
			(52, 2, 2, 'Local C', '["s:1:\\/srv\\/unknown\\/c.mkv"]', '', '', '', '', '', '', '', 0, '', ''),
			(53, 1, 1, 'Mixed Live', '["http:\\/\\/src.example\\/m.ts","s:1:\\/home\\/live\\/m.ts"]', '', '', '', '', '', '', '', 0, '', '')`)
		c := newCanale(t)
		c.setVODStorages(t, "films", "vod")
		opts := importxc.Options{VODPaths: []importxc.VODPath{{Dir: "/movies", Prefix: "vod"}}}

		dryOpts := opts
		dryOpts.DryRun = true
		dry := run(t, x, c, dryOpts)
		rep := run(t, x, c, opts)
		t.Log(reportText(t, rep))
		for name, r := range map[string]*importxc.Report{"dry run": dry, "import": rep} {
			got := localSources(r)
			for key, want := range map[string]string{
				`streams 50 s:6:/home/xtreamcodes/films/action/a.mkv`: "films/action/a.mkv",
				`streams 51 /movies/b.mp4`:                            "vod/b.mp4",
				`streams 52 s:1:/srv/unknown/c.mkv`:                   "no VOD storage prefix matches",
				`streams 53 s:1:/home/live/m.ts`:                      "live channel pulls URLs",
			} {
				l, ok := got[key]
				if !ok || !strings.Contains(l.StreamName+l.Reason, want) {
					t.Errorf("%s: local source %s = %+v (listed %v), want %q", name, key, l, ok, want)
				}
			}
			if len(got) != 4 {
				t.Errorf("%s: %d local sources, want 4: %+v", name, len(got), r.LocalSources)
			}
		}
		c.expect(t, map[string]string{
			"SELECT string_agg(id || '|' || stream_name || '|' || source_url || '|' || enabled, ',' ORDER BY id) FROM vod WHERE id >= 50": "50|films/action/a.mkv||true,51|vod/b.mp4||true,52|||false",
			"SELECT sources::text FROM channels WHERE id = 53": `[{"url": "http://src.example/m.ts", "priority": 1}]`,
			"SELECT source_url FROM vod WHERE id = 20":         "http://vod.example/m.mkv",
		})
	})

	t.Run("xui", func(t *testing.T) {
		x := newXUI(t, srv, "xui_local")
		x.exec(t, `INSERT INTO streams (id, type, category_id, stream_display_name, stream_source, added) VALUES
			(110, 2, '[6]', 'Spaced File', '["s:2:\\/media\\/films\\/x y.mkv"]', 1700000000),
			(108, 5, '[8]', 'Show S01E03', '["\\/home\\/xui\\/films\\/show\\/e3.mp4"]', 1700000000)`)
		x.exec(t, `INSERT INTO streams_episodes (id, season_num, episode_num, series_id, stream_id) VALUES (4, 1, 3, 201, 108)`)
		c := newCanale(t)
		c.setVODStorages(t, "films")
		rep := run(t, x, c, importxc.Options{})
		t.Log(reportText(t, rep))
		got := localSources(rep)
		if l := got["streams 110 s:2:/media/films/x y.mkv"]; !strings.Contains(l.Reason, "not a VOD path") || l.StreamName != "" {
			t.Errorf("movie 110: %+v, want it reported as no valid VOD path", l)
		}
		if l := got["streams 108 /home/xui/films/show/e3.mp4"]; l.StreamName != "films/show/e3.mp4" {
			t.Errorf("episode 108: %+v, want films/show/e3.mp4", l)
		}
		c.expect(t, map[string]string{
			"SELECT stream_name || '|' || source_url || '|' || enabled FROM series_episodes WHERE id = 108": "films/show/e3.mp4||true",
			"SELECT source_url || '|' || enabled FROM vod WHERE id = 110":                                   "|false",
		})
	})

	t.Run("unknown --vod-path prefix", func(t *testing.T) {
		x := newXUI(t, srv, "xui_local_bad")
		c := newCanale(t)
		before := c.fingerprint(t)
		_, err := importxc.Run(context.Background(), x.open(t), c.st, importxc.Options{
			VODPaths: []importxc.VODPath{{Dir: "/home/xui", Prefix: "nowhere"}}})
		if err == nil || !strings.Contains(err.Error(), "--vod-path") || !strings.Contains(err.Error(), `"nowhere"`) {
			t.Fatalf("import with a --vod-path naming no storage: err = %v, want one naming the flag and the prefix", err)
		}
		diffFingerprints(t, before, c.fingerprint(t))
	})
}

func TestParseVODPath(t *testing.T) {
	for in, want := range map[string]string{
		"/home/xc/movies/=films": "/home/xc/movies=films",
		"home/xc=vod":            "/home/xc=vod",
		"=films":                 "error",
		"/home/xc":               "error",
		"/home/xc=":              "error",
	} {
		p, err := importxc.ParseVODPath(in)
		got := p.Dir + "=" + p.Prefix
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("ParseVODPath(%q) = %q (%v), want %q", in, got, err, want)
		}
	}
}
