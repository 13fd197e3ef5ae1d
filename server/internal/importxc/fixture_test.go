package importxc_test

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testmariadb"
)

var (
	//go:embed testdata/xc_schema.sql
	xcSchema string
	//go:embed testdata/xui_schema.sql
	xuiSchema string
)

// SHA-512 crypt hashes made with glibc crypt(3) (perl -e 'print crypt(...)').
const (
	adminHash = "$6$rounds=20000$xtreamcodes$XThC5OwfuS0YwS4ahiifzF14vkGbGsFF1w7ETL4sRRC5sOrAWCjWvQJDromZUQoQuwbAXAFdX3h3Cp3vqulpS0" // admin
	resAHash  = "$6$rounds=20000$xtreamcodes$I6GR7hKkROTTZT6cbwfb29jGvxM3KVpr2vSjIedq/WiIA24ciX7jU1BXraLlpp44DrC5uxTFOygAKW./Lyr1j1" // resApass
	loopHash  = "$6$rounds=5000$abcdefgh$HYQCeECa.cooj.20L/Kz9A1WPq46HvjIfLZBPNF1LXNsSSkhVYBozi8043OJuTTlydJ.etnyvyBqwLutCP.KP0"     // loop-pass
)

// hexToken is a 128-bit play token an XC line may carry.
const hexToken = "0123456789abcdef0123456789ABCDEF"

// future is an expiry date in the XC int-unix form.
var future = time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)

// xcDB is a MariaDB database holding an XC panel.
type xcDB struct {
	srv  *testmariadb.Server
	name string
	db   *sql.DB
}

// newXC creates an Xtream UI database with the hand-written nasty rows
// below plus extraLines generated lines and extraStreams generated streams.
func newXC(t testing.TB, srv *testmariadb.Server, name string, extraLines, extraStreams int) *xcDB {
	t.Helper()
	x := &xcDB{srv: srv, name: name, db: srv.Open(t, name)}
	x.exec(t, xcSchema)
	x.exec(t, `INSERT INTO streaming_servers (id, server_name, domain_name, server_ip) VALUES
		(1, 'Main Server', 'tv.example.com, tv2.example.com', '10.0.0.1'),
		(3, 'LB 1', '', '10.0.0.3'),
		(5, 'main server', NULL, '10.0.0.5'),
		(7, 'Broken', '', '')`)
	x.exec(t, `INSERT INTO stream_categories (id, category_type, category_name, cat_order) VALUES
		(1, 'live', 'Sports', 1), (2, 'movie', 'Action', 2), (3, 'series', 'Drama', 3),
		(4, 'live', 'sports', 4), (6, 'radio', 'Radio FM', 5), (8, 'live', '', 6), (9, 'catchup', 'Replay', 7)`)
	x.exec(t, `INSERT INTO streams (id, type, category_id, stream_display_name, stream_source, stream_icon,
		transcode_attributes, custom_ffmpeg, movie_propeties, movie_subtitles, target_container, channel_id,
		`+"`order`"+`, auto_restart, pids_create_channel, cchannel_rsources, added, tv_archive_duration, custom_map, external_push) VALUES
		(10, 1, 1, 'Première TV HD', '["http:\\/\\/src.example\\/a.ts","udp:\\/\\/239.0.0.1:1234"]', 'http:\\/\\/logo.example\\/p.png', '[]', '', NULL, '', NULL, 'premiere.fr', 3, '', '', '', 1600000000, 3, '', ''),
		(11, 1, 4, 'Première TV HD', '["http://src.example/b.ts"]', '', '', '', NULL, '', NULL, '', 0, '', '', '', 1600000000, -2, '', ''),
		(12, 1, NULL, 'Первый канал', '', '', '', '', NULL, '', NULL, NULL, 0, '', '', '', 0, 0, '', ''),
		(13, 1, 99, '!!!', NULL, '', '', '', NULL, '', NULL, NULL, 0, '', '', '', 0, 0, '', ''),
		(14, 4, 6, 'Radio 1', '["http://radio.example/1.mp3"]', '', '', '', NULL, '', NULL, NULL, 0, '', '', '', 0, 0, '', ''),
		(20, 2, 2, 'The Movie (2020)', '["http:\\/\\/vod.example\\/m.mkv"]', '', '', '', '{"movie_image":"http:\\/\\/img.example\\/m.jpg","plot":"A plot.","releasedate":"2020-03-01","rating":"7.5","duration_secs":"5400"}', '', '["mkv"]', NULL, 0, '', '', '', 1600000000, 0, '', ''),
		(21, 2, 3, 'Other Movie', '"http://vod.example/o.mp4"', 'http://img.example/o.jpg', '', '', '', '', 'mp4', NULL, 0, '', '', '', 0, 0, '', ''),
		(30, 5, 3, 'Drama S01E01', '["http://vod.example/e.mp4"]', '', '', '', '{}', '', '["mp4"]', NULL, 0, '', '', '', 0, 0, '', ''),
		(31, 5, 3, 'Drama S01E02', '["http:\\/\\/vod.example\\/e2.mkv"]', '', '', '', '{"plot":"Second.","duration":"00:42:10","releasedate":"2021-09-17","rating":"8.1","movie_image":"http:\\/\\/img.example\\/e2.jpg","tmdb_id":"12345"}', '', '["mkv"]', NULL, 0, '', '', '', 1600000000, 0, '', ''),
		(32, 5, 3, 'Drama S02E01', '["http://vod.example/s2e1.mp4"]', '', '', '', '{"duration_secs":"3000","tmdb_id":"tt99"}', '', '', NULL, 0, '', '', '', 0, 0, '', ''),
		(33, 5, 3, 'Orphan Episode', '["http://vod.example/o.mp4"]', '', '', '', NULL, '', '', NULL, 0, '', '', '', 0, 0, '', ''),
		(34, 5, 3, 'Lost Series E1', '["http://vod.example/l.mp4"]', '', '', '', NULL, '', '', NULL, 0, '', '', '', 0, 0, '', ''),
		(35, 5, 3, 'Comedy Pilot', '["http://vod.example/c.mp4"]', '', '', '', NULL, '', '', NULL, 0, '', '', '', 0, 0, '', ''),
		(40, 3, 1, 'Created One', '[]', '', '', '', NULL, '', NULL, NULL, 0, '', '', '', 0, 0, '', '')`)
	x.exec(t, `INSERT INTO bouquets (id, bouquet_name, bouquet_channels, bouquet_series) VALUES
		(1, 'Basic', '["10",11,"12","20","999"]', '[2,"99"]'),
		(2, 'Premium', '[10,14,40,"x",-1]', ''),
		(3, 'Empty', '', ''),
		(4, 'basic', '[21]', '["1"]')`)
	x.exec(t, `INSERT INTO series (id, title, category_id, cover, cover_big, genre, plot, cast, rating, director,
		releaseDate, last_modified, tmdb_id, seasons, episode_run_time, backdrop_path, youtube_trailer) VALUES
		(1, 'Drama', '[3]', 'http:\\/\\/img.example\\/d.jpg', '', 'Drama, Crime', 'A drama.', 'Ann, Bob', 8, 'Dee',
		 '2021-09-10', 1600000000, 777, '[{"air_date":"2021-09-10","episode_count":2,"id":5001,"name":"First Season","overview":"First.","season_number":1,"cover":"http:\\/\\/img.example\\/s1.jpg","cover_big":""},{"season_number":3,"name":"Season 3"}]',
		 45, '["http:\\/\\/img.example\\/b1.jpg","http://img.example/b2.jpg"]', 'abc123'),
		(2, 'Comedy', '3', '', 'http://img.example/c.jpg', '', '', '', 0, '', '', NULL, NULL, '', 0, '', ''),
		(3, 'Empty Show', NULL, '', '', '', '', '', 0, '', 'soon', NULL, NULL, 'not json', -5, '', '')`)
	x.exec(t, `INSERT INTO series_episodes (id, season_num, series_id, stream_id, sort) VALUES
		(1, 1, 1, 31, 0), (2, 1, 1, 30, 0), (3, 2, 1, 32, 0), (4, 1, 2, 20, 0), (5, 1, 99, 34, 0),
		(6, 1, 2, 31, 0), (7, 0, 2, 35, 0)`)
	x.exec(t, `INSERT INTO packages (id, package_name, is_trial, is_official, trial_credits, official_credits, trial_duration,
		trial_duration_in, official_duration, official_duration_in, `+"`groups`"+`, bouquets, output_formats) VALUES
		(1, 'Monthly', 1, 1, 0, 10, 24, 'hours', 1, 'months', '[4]', '[1,2]', '[1,2]')`)
	x.exec(t, `INSERT INTO reg_users (id, username, password, email, date_registered, member_group_id, credits, notes, status, default_lang, reseller_dns, owner_id) VALUES
		(1, 'admin', '`+adminHash+`', 'admin@example.com', 1500000000, 1, 0, '', 1, '', '', 0),
		(2, 'resA', '`+resAHash+`', 'a@example.com', 1500000000, 4, 150.5, 'top reseller', 1, '', '', 0),
		(3, 'resB', '5f4dcc3b5aa765d61d8327deb882cf99', NULL, 1500000000, 4, 20, NULL, 1, '', '', 2),
		(4, 'banned', '`+loopHash+`', '', 0, 3, 0, '', 1, '', '', 2),
		(5, 'loopA', '`+loopHash+`', '', 0, 4, 1, '', 1, '', '', 6),
		(6, 'loopB', '`+loopHash+`', '', 0, 4, 1, '', 0, '', '', 5),
		(7, 'negative', '`+loopHash+`', '', 0, 4, -5, '', 1, '', '', 3),
		(8, 'underAdmin', '`+loopHash+`', '', 0, 4, 0, '', 1, '', '', 1)`)
	x.exec(t, fmt.Sprintf(`INSERT INTO users (id, member_id, username, password, exp_date, admin_enabled, enabled, admin_notes,
		reseller_notes, bouquet, max_connections, allowed_ips, allowed_ua, is_trial, created_at, created_by, is_mag,
		forced_country, play_token) VALUES
		(1, 2, 'alice', 'pa ss/wörd', %d, 1, 1, 'VIP', 'pays cash', '["1","2"]', 2, '["1.2.3.4","10.0.0.0\/8"]', '', 0, 1600000000, 1, 1, 'FR', ''),
		(2, 3, 'bob', 'bobpass', %d, 0, 1, '', '', '[]', 1, '[]', '[]', 0, 1600000000, 1, 0, '', '%s'),
		(3, 1, 'carol', '', NULL, 1, 0, '', '', '', 0, '', '', 0, 0, 1, 0, '', 'short'),
		(4, 2, 'ALICE', 'x', NULL, 1, 1, '', '', '[1]', 1, '', '', 0, 0, 1, 0, '', ''),
		(5, 99, 'dave', '  spaced  ', 0, 1, 1, '', '', '[2, 99]', -3, '', '["VLC\/3.0","Kodi"]', 1, 0, 1, 0, '', '')`,
		future.Unix(), future.Unix(), hexToken))
	x.exec(t, `INSERT INTO user_output (user_id, access_output_id) VALUES (1, 1), (1, 2), (2, 2)`)
	x.exec(t, `INSERT INTO epg (epg_name, epg_file) VALUES ('main', 'http://epg.example/xmltv.xml.gz')`)
	// MAG boxes: plain and base64 MACs, a duplicate (another spelling of
	// box 1), boxes of a skipped line (4) and of no line (77), a junk MAC,
	// and a locked box whose ids are still to be captured.
	x.exec(t, `INSERT INTO mag_devices (mag_id, user_id, mac, sn, stb_type, device_id, device_id2, lock_device, ver, image_version) VALUES
		(1, 1, '00:1a:79:12:34:56', 'SN0001', 'MAG254', 'dev-one', 'dev-two', 1, 'ImageDescription: 0.2.18-r14', '218'),
		(2, 2, 'MDA6MUE6Nzk6QUI6Q0Q6RUY=', '', 'MAG250', '', '', 0, NULL, '217'),
		(3, 3, '00-1A-79-12-34-56', 'SN0003', 'MAG322', '', '', 0, '', ''),
		(4, 4, '00:1A:79:00:00:04', '', '', '', '', 0, '', ''),
		(5, 77, '00:1A:79:00:00:05', '', '', '', '', 0, '', ''),
		(6, 5, 'not-a-mac', '', '', '', '', 0, '', ''),
		(7, 5, '001A79000007', '', 'MAG424', '', '', 1, '', '')`)
	x.generate(t, extraLines, extraStreams)
	return x
}

// Generated rows start at these ids, above the hand-written ones.
const (
	genLineID   = 1000
	genStreamID = 1000
)

// generate adds n lines (password "pw-<id>", in bouquet 1 or 2) and m live
// streams, in batches.
func (x *xcDB) generate(t testing.TB, n, m int) {
	t.Helper()
	const batch = 500
	for start := 0; start < n; start += batch {
		var vals []string
		for i := start; i < min(n, start+batch); i++ {
			id := genLineID + i
			vals = append(vals, fmt.Sprintf("(%d, 2, 'line%d', 'pw-%d', %d, 1, 1, '', '', '[%d]', 1, '', '', 0, 1600000000, 1, '')",
				id, id, id, future.Unix(), 1+i%2))
		}
		x.exec(t, `INSERT INTO users (id, member_id, username, password, exp_date, admin_enabled, enabled, admin_notes,
			reseller_notes, bouquet, max_connections, allowed_ips, allowed_ua, is_trial, created_at, created_by, play_token) VALUES `+strings.Join(vals, ","))
	}
	for start := 0; start < m; start += batch {
		var vals []string
		for i := start; i < min(m, start+batch); i++ {
			id := genStreamID + i
			vals = append(vals, fmt.Sprintf(`(%d, 1, 1, 'Generated %d', '["http://src.example/%d.ts"]', '', '', '', '', '', '', '', 0, '', '')`, id, i%50, id))
		}
		x.exec(t, `INSERT INTO streams (id, type, category_id, stream_display_name, stream_source, stream_icon,
			transcode_attributes, custom_ffmpeg, movie_subtitles, auto_restart, pids_create_channel, cchannel_rsources, added, custom_map, external_push) VALUES `+strings.Join(vals, ","))
	}
}

func (x *xcDB) exec(t testing.TB, q string) {
	t.Helper()
	if _, err := x.db.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("MySQL: %v\n%.400s", err, q)
	}
}

// open returns a fresh pool on the database, as the CLI would make.
func (x *xcDB) open(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("mysql", x.dsn())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dsn is the importer's DSN: no parseTime, as the CLI forces.
func (x *xcDB) dsn() string {
	return fmt.Sprintf("root@tcp(127.0.0.1:%d)/%s", x.srv.Port, x.name)
}

// killOthers kills every connection to the database but the caller's, as
// a crashed or restarted MySQL server would.
func (x *xcDB) killOthers(t testing.TB) {
	admin, err := sql.Open("mysql", x.srv.DSN(""))
	if err != nil {
		t.Error(err)
		return
	}
	defer admin.Close()
	rows, err := admin.Query(`SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()`, x.name)
	if err != nil {
		t.Error(err)
		return
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		admin.Exec(fmt.Sprintf("KILL CONNECTION %d", id))
	}
	if len(ids) == 0 {
		t.Error("no importer connection to kill")
	}
}

// newXUI creates a small XUI.one database.
func newXUI(t testing.TB, srv *testmariadb.Server, name string) *xcDB {
	t.Helper()
	x := &xcDB{srv: srv, name: name, db: srv.Open(t, name)}
	x.exec(t, xuiSchema)
	x.exec(t, `INSERT INTO servers (id, server_name, domain_name, server_ip, is_main) VALUES (2, 'Main', 'xui.example.com', '10.1.0.2', 1)`)
	x.exec(t, `INSERT INTO streams_categories (id, category_type, category_name) VALUES (5, 'live', 'News'), (6, 'movie', 'Films'), (8, 'series', 'Shows')`)
	x.exec(t, `INSERT INTO streams (id, type, category_id, stream_display_name, stream_source, movie_properties, target_container, channel_id, added, year, rating) VALUES
		(101, 1, '[5]', 'News 24', '["http:\\/\\/n.example\\/24.ts"]', NULL, NULL, 'news24.uk', 1700000000, NULL, 0),
		(102, 1, '["6","5"]', 'Ünïcödé Nëws', '[]', NULL, NULL, '', 1700000000, NULL, 0),
		(103, 2, '[6]', 'A Film', '["http://v.example/f.mp4"]', '{"plot":"xui plot"}', '["mp4"]', '', 1700000000, 2019, 6.4),
		(104, 4, '', 'XUI Radio', '["http://r.example/x.aac"]', NULL, NULL, '', NULL, NULL, 0),
		(105, 5, '[8]', 'Show S01E01', '["http://v.example/s1e1.mp4"]', '{"plot":"xui ep","duration_secs":1200,"release_date":"2020-02-01"}', '["mp4"]', '', 1700000000, NULL, 0),
		(106, 5, '[8]', 'Show S01E02', '["http://v.example/s1e2.mkv"]', NULL, '["MKV"]', '', 1700000000, NULL, 6.5),
		(107, 5, '[8]', 'Show S01E02 (again)', '["http://v.example/s1e2b.mp4"]', NULL, NULL, '', 1700000000, NULL, 0)`)
	x.exec(t, `INSERT INTO streams_series (id, title, category_id, cover, cover_big, genre, plot, cast, rating, director,
		release_date, last_modified, tmdb_id, seasons, episode_run_time, backdrop_path, youtube_trailer, tmdb_language, year) VALUES
		(201, 'XUI Show', '["8"]', '', 'http://i.example/c.jpg', 'Sci-Fi', 'xui plot', 'Cy', 7.25, 'Di', '2020-01-31', 1700000000, 4242,
		 '[]', 30, 'http://i.example/bd.jpg', '', 'en', 2020)`)
	x.exec(t, `INSERT INTO streams_episodes (id, season_num, episode_num, series_id, stream_id) VALUES
		(1, 1, 2, 201, 106), (2, 1, 1, 201, 105), (3, 1, 2, 201, 107)`)
	x.exec(t, `INSERT INTO bouquets (id, bouquet_name, bouquet_channels, bouquet_movies, bouquet_radios, bouquet_series) VALUES
		(7, 'All', '[101,"102"]', '["103"]', '[104]', '[201]')`)
	x.exec(t, `INSERT INTO users (id, username, password, email, member_group_id, credits, status, owner_id) VALUES
		(1, 'admin', '`+adminHash+`', '', 1, 0, 1, 0),
		(9, 'xuiRes', '`+resAHash+`', 'x@example.com', 2, 12.25, 1, 0),
		(10, 'xuiSub', '`+loopHash+`', '', 2, 3, 1, 9)`)
	x.exec(t, `INSERT INTO users_packages (id, package_name, bouquets, official_credits) VALUES (1, 'Month', '[7]', 5)`)
	x.exec(t, fmt.Sprintf(`INSERT INTO `+"`lines`"+` (id, member_id, username, password, exp_date, admin_enabled, enabled, bouquet,
		allowed_outputs, max_connections, allowed_ips, allowed_ua, created_at, package_id, access_token, contact, last_activity) VALUES
		(500, 10, 'xuiline', 'xui-pass', %d, 1, 1, '["7"]', '[1,2]', 3, NULL, NULL, 1700000000, 1, 'ABCDEFabcdef0123456789ABCDEFabcd', 'tel:123', 1700000100),
		(501, 9, 'xuiline2', 'p2', NULL, 1, 1, '[7]', '', 1, '', '', 1700000000, NULL, NULL, '', NULL)`, future.Unix()))
	return x
}

// newForked creates a forked panel's database: XUI.one's `lines` beside
// Xtream UI's `reg_users`, `member_groups` and `stream_categories` (no XC
// `users` table), plus a stray XUI `streams_categories` holding a row, and
// lines with the rules XC reads its own way.
func newForked(t testing.TB, srv *testmariadb.Server, name string) *xcDB {
	t.Helper()
	x := &xcDB{srv: srv, name: name, db: srv.Open(t, name)}
	x.exec(t, xcSchema)
	x.exec(t, "DROP TABLE users")
	x.exec(t, "DROP TABLE user_output")
	start := strings.Index(xuiSchema, "CREATE TABLE `lines`")
	x.exec(t, xuiSchema[start:start+strings.Index(xuiSchema[start:], ";")+1])
	x.exec(t, `CREATE TABLE streams_categories (id int PRIMARY KEY, category_type varchar(255), category_name varchar(255))`)
	x.exec(t, `INSERT INTO streams_categories VALUES (70, 'live', 'Stray')`)
	x.exec(t, `INSERT INTO stream_categories (id, category_type, category_name, cat_order) VALUES (1, 'live', 'News', 1)`)
	x.exec(t, `INSERT INTO streams (id, type, category_id, stream_display_name, stream_source, stream_icon,
		transcode_attributes, custom_ffmpeg, movie_subtitles, `+"`order`"+`, auto_restart, pids_create_channel,
		cchannel_rsources, added, custom_map, external_push) VALUES
		(10, 1, 1, 'News One', '["http://src.example/n1.ts"]', '', '', '', '', 0, '', '', '', 1600000000, '', ''),
		(11, 1, 1, 'PremiÃ¨re TV', '[]', '', '', '', '', 0, '', '', '', 1600000000, '', ''),
		(12, 1, 1, 'Première Direct', '[]', '', '', '', '', 0, '', '', '', 1600000000, '', '')`)
	x.exec(t, `INSERT INTO bouquets (id, bouquet_name, bouquet_channels, bouquet_series) VALUES (1, 'All', '[10]', '[]')`)
	x.exec(t, `INSERT INTO reg_users (id, username, password, date_registered, member_group_id, credits, default_lang, reseller_dns, owner_id) VALUES
		(1, 'admin', '`+adminHash+`', 0, 1, 0, '', '', 0),
		(2, 'forkres', '`+resAHash+`', 0, 4, 2500000000000, '', '', 0)`)
	x.exec(t, fmt.Sprintf("INSERT INTO `lines`"+` (id, member_id, username, password, exp_date, bouquet, max_connections, allowed_ips, allowed_ua) VALUES
		(1, 2, 'spaced ', 'pw1', %d, '[1]', 1, NULL, NULL),
		(2, 2, 'zero', 'pw2', 0, '[1]', 1, NULL, NULL),
		(3, 2, 'hosted', 'pw3', %d, '[1]', 1, '["localhost"]', '["IPTV Smarters/1.0"]'),
		(4, 2, 'nowhere', 'pw4', %d, '[1]', 1, '["no-such-host.invalid"]', NULL)`, future.Unix(), future.Unix(), future.Unix()))
	return x
}
