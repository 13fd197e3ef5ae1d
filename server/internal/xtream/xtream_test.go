package xtream_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/httpserver"
	"canale/server/internal/subscriberview"
	"canale/server/internal/xtream"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func init() { gin.SetMode(gin.TestMode) }

var (
	now   = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	added = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
)

const password = "pw-alice"

func fixture(t testing.TB) *subscriberview.Static {
	t.Helper()
	h, err := credential.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	subs := []subscriberview.Subscriber{
		{ID: 1, Login: "alice", PasswordHash: h, Token: "tok-alice", Status: "active", MaxSessions: 2,
			ExpiresAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), CreatedAt: added},
		{ID: 4, Login: "dave", PasswordHash: h, Token: "tok-dave", Status: "active", ExpiresAt: now.Add(-time.Hour),
			CreatedAt: added},
	}
	lineup := subscriberview.Lineup{
		Channels: []subscriberview.Channel{
			{ID: 1, Name: "ch1", Title: "Channel One", LogoURL: "https://logos.example/1.png", CategoryID: 1, Number: 1,
				EPGChannelID: "one.example", DVRDays: 3, Added: added},
			{ID: 2, Name: "ch2", Title: "Channel Two", HasLogo: true, CategoryID: 2, Number: 2, Added: added},
			{ID: 4, Name: "ch4", Title: "Free Four", Number: 4, Added: added},
		},
		VOD: []subscriberview.VOD{{ID: 1, Title: "Film", StreamName: "film1", Container: "mp4", CategoryID: 3,
			Description: "A film.", DurationS: 5400, Year: 2001, Rating: 7.5, Added: added},
			{ID: 5001, Title: "Night Train", OriginalTitle: "Train de nuit", StreamName: "vod/films/night-train.mkv",
				Container: "mkv", CategoryID: 3, PosterURL: "https://img.example.net/p/nt.jpg", Description: "A courier…",
				DurationS: 6330, Rating: 7.4, Added: added, Metadata: api.Metadata{Cast: "A. Actor, B. Actor",
					Director: "C. Director", Genre: "Thriller, Drama", ReleaseDate: "2019-05-01",
					BackdropURLs: []string{"https://img.example.net/b/nt1.jpg"}, Trailer: "dQw4w9WgXcQ", TMDBID: "603001"}}},
		LiveCategories:   []subscriberview.Category{{ID: 1, Name: "News"}, {ID: 2, Name: "Sport"}},
		VODCategories:    []subscriberview.Category{{ID: 3, Name: "Movies"}},
		Series:           seriesFixture(),
		SeriesCategories: []subscriberview.Category{{ID: 20, Name: "Drama"}, {ID: 21, Name: "Kids"}},
	}
	return subscriberview.NewStatic(subs, lineup, nil)
}

func guide() subscriberview.MemGuide {
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	return subscriberview.MemGuide{
		{Channel: "one.example", Start: at(-2), Stop: at(-1), Title: "Morning", Desc: "Earlier."},
		{Channel: "one.example", Start: at(-1), Stop: at(1), Title: "News at noon", Desc: "Headlines & weather."},
		{Channel: "one.example", Start: at(1), Stop: at(2), Title: "Afternoon"},
		{Channel: "one.example", Start: at(2), Stop: at(3), Title: "Evening"},
	}
}

func newServer(t testing.TB) *httptest.Server {
	t.Helper()
	dir := fixture(t)
	return serve(t, dir)
}

func serve(t testing.TB, dir *subscriberview.Static) *httptest.Server {
	t.Helper()
	x := xtream.New(xtream.Deps{Auth: subscriberview.NewAuthenticator(dir, subscriberview.AuthOptions{}),
		Directory: dir, Guide: guide(), Logger: slog.New(slog.DiscardHandler),
		ExternalURL: "https://tv.example.net", Now: func() time.Time { return now }})
	e := httpserver.New(httpserver.Options{Logger: slog.New(slog.DiscardHandler), Registry: httpserver.NewRegistry(),
		Mounts: []httpserver.Mount{{Prefix: "", Surface: x}}})
	e.NoRoute(x.LegacyLive) // as the app chains it after the balancer
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	res, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\ngot:\n%s\nwant:\n%s", name, path, got, want)
	}
}

const creds = "username=alice&password=" + password

func TestPlayerAPIGolden(t *testing.T) {
	srv := newServer(t)
	tests := []struct{ name, query string }{
		{"account_info", ""},
		{"get_account_info", "&action=get_account_info"},
		{"get_live_categories", "&action=get_live_categories"},
		{"get_live_streams", "&action=get_live_streams"},
		{"get_live_streams_category", "&action=get_live_streams&category_id=2"},
		{"get_vod_categories", "&action=get_vod_categories"},
		{"get_vod_streams", "&action=get_vod_streams"},
		{"get_vod_info", "&action=get_vod_info&vod_id=1"},
		{"get_vod_info_unknown", "&action=get_vod_info&vod_id=99"},
		{"get_short_epg", "&action=get_short_epg&stream_id=1&limit=2"},
		{"get_simple_data_table", "&action=get_simple_data_table&stream_id=1"},
		{"get_series_categories", "&action=get_series_categories"},
		{"get_series", "&action=get_series"},
		{"get_series_info", "&action=get_series_info&series_id=1"},
		{"get_series_category", "&action=get_series&category_id=21"},
		{"get_series_info_301", "&action=get_series_info&series_id=301"},
		{"expired_account_info", "&action=get_account_info"},
		{"expired_live_streams", "&action=get_live_streams"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := creds + tt.query
			if strings.HasPrefix(tt.name, "expired") {
				q = "username=dave&password=" + password + tt.query
			}
			res, body := get(t, srv.URL+"/player_api.php?"+q)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("status %d, Content-Type %q; want 200 application/json", res.StatusCode, res.Header.Get("Content-Type"))
			}
			if !json.Valid(body) {
				t.Fatalf("body is not JSON: %s", body)
			}
			golden(t, "player_api_"+tt.name, body)
		})
	}
}

func TestShortEPGIsBase64(t *testing.T) {
	srv := newServer(t)
	_, body := get(t, srv.URL+"/player_api.php?"+creds+"&action=get_short_epg&stream_id=1")
	var got struct {
		EPGListings []struct{ Title string } `json:"epg_listings"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.EPGListings) != 3 || got.EPGListings[0].Title != "TmV3cyBhdCBub29u" { // "News at noon"
		t.Errorf("listings = %+v, want 3 from the current one, titles in base64", got.EPGListings)
	}
}

func TestFailedLoginBytesAreIdentical(t *testing.T) {
	srv := newServer(t)
	_, unknown := get(t, srv.URL+"/player_api.php?username=nobody&password=x")
	_, wrong := get(t, srv.URL+"/player_api.php?username=alice&password=wrong")
	_, none := get(t, srv.URL+"/player_api.php?action=get_live_streams")
	want := `{"user_info":{"auth":0}}`
	for name, got := range map[string][]byte{"unknown user": unknown, "wrong password": wrong, "no credentials": none} {
		if string(got) != want {
			t.Errorf("%s: body %q, want %q", name, got, want)
		}
	}
	if !bytes.Equal(unknown, wrong) {
		t.Errorf("unknown user %q and wrong password %q differ", unknown, wrong)
	}
}

// TestLongUsernameIsRefusedUncounted: 60 KB usernames get the normal
// failure body and are not counted, so more of them than the address's
// budget (50) leave the owner's sign-in from there working.
func TestLongUsernameIsRefusedUncounted(t *testing.T) {
	srv := newServer(t)
	for i := range 60 {
		long := strings.Repeat(string(rune('a'+i%26)), 60<<10) + strconv.Itoa(i)
		res, err := http.PostForm(srv.URL+"/player_api.php", url.Values{"username": {long}, "password": {"x"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(body) != `{"user_info":{"auth":0}}` {
			t.Fatalf("60 KB username %d: status %d, body %.200q; want the failure body", i, res.StatusCode, body)
		}
	}
	if _, body := get(t, srv.URL+"/player_api.php?"+creds); !bytes.Contains(body, []byte(`"auth":1`)) {
		t.Errorf("owner after 60 long usernames from this address: %.200s; want signed in", body)
	}
}

func TestPostForm(t *testing.T) {
	srv := newServer(t)
	res, err := http.PostForm(srv.URL+"/player_api.php", url.Values{"username": {"alice"}, "password": {password},
		"action": {"get_live_categories"}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	want, _ := os.ReadFile("testdata/player_api_get_live_categories.golden")
	if !bytes.Equal(got, want) {
		t.Errorf("POST body %s, want the GET answer %s", got, want)
	}
}

func TestGetPHPAndXMLTVGolden(t *testing.T) {
	srv := newServer(t)
	for _, tt := range []struct{ name, path string }{
		{"get_php_m3u_plus_ts", "/get.php?" + creds + "&type=m3u_plus&output=ts"},
		{"get_php_m3u_hls", "/get.php?" + creds + "&type=m3u&output=hls"},
		{"xmltv_php", "/xmltv.php?" + creds},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, srv.URL+tt.path)
			if res.StatusCode != 200 {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			golden(t, tt.name, body)
		})
	}
}

func TestStreamRedirects(t *testing.T) {
	srv := newServer(t)
	p := "alice/" + password
	tests := []struct {
		path       string
		wantStatus int
		wantTarget string
	}{
		{"/live/" + p + "/1.ts", 302, "https://tv.example.net/ch1/mpegts?token=tok-alice"},
		{"/live/" + p + "/2.m3u8", 302, "https://tv.example.net/ch2/index.m3u8?token=tok-alice"},
		{"/live/" + p + "/3.ts", 404, ""},
		{"/live/" + p + "/1.rtmp", 404, ""},
		{"/live/" + p + "/1.echo-me", 404, ""}, // the answer must not repeat it
		{"/live/alice/wrong/1.ts", 403, ""},
		{"/live/nobody/wrong/1.ts", 403, ""},
		{"/live/dave/" + password + "/1.ts", 403, ""},
		// The legacy form without /live/: old playlists and set-top boxes.
		{"/" + p + "/1.ts", 302, "https://tv.example.net/ch1/mpegts?token=tok-alice"},
		{"/" + p + "/1", 302, "https://tv.example.net/ch1/mpegts?token=tok-alice"},
		{"/" + p + "/2.m3u8", 302, "https://tv.example.net/ch2/index.m3u8?token=tok-alice"},
		{"/" + p + "/3.ts", 404, ""},
		{"/alice/wrong/1.ts", 403, ""},
		{"/" + p + "/one.ts", 404, ""}, // not a stream id: not this form
		{"/" + p + "/1.ts/x", 404, ""}, // four segments: not this form
		{"/movie/" + p + "/1.mp4", 302, "https://tv.example.net/film1?token=tok-alice"},
		{"/movie/" + p + "/1.m3u8", 302, "https://tv.example.net/film1/index.m3u8?token=tok-alice"},
		{"/series/" + p + "/1.mp4", 404, ""},
		{"/timeshift/" + p + "/60/2025-03-01:10-00/1.ts", 302,
			"https://tv.example.net/ch1/archive-1740823200-3600.ts?token=tok-alice"},
		{"/timeshift/" + p + "/30/2025-03-01:10-00-00/1.m3u8", 302,
			"https://tv.example.net/ch1/archive-1740823200-1800.m3u8?token=tok-alice"},
		{"/timeshift/" + p + "/60/2025-03-01_10-00/1.ts", 302,
			"https://tv.example.net/ch1/archive-1740823200-3600.ts?token=tok-alice"},
		{"/timeshift/" + p + "/60/2025-03-01:10-00/2.ts", 404, ""}, // no DVR
		{"/timeshift/" + p + "/60/2025-01-01:10-00/1.ts", 404, ""}, // before the window
		{"/timeshift/" + p + "/60/yesterday/1.ts", 400, ""},
		{"/streaming/timeshift.php?" + creds + "&stream=1&start=2025-03-01:10-00&duration=60", 302,
			"https://tv.example.net/ch1/archive-1740823200-3600.ts?token=tok-alice"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, body := get(t, srv.URL+tt.path)
			if res.StatusCode != tt.wantStatus || res.Header.Get("Location") != tt.wantTarget {
				t.Errorf("got %d to %q (%q), want %d to %q", res.StatusCode, res.Header.Get("Location"), body,
					tt.wantStatus, tt.wantTarget)
			}
			if strings.Contains(string(body), "echo-me") {
				t.Errorf("the answer repeats the request: %q", body)
			}
		})
	}
}

func TestTokenResetChangesRedirects(t *testing.T) {
	dir := fixture(t)
	srv := serve(t, dir)
	if _, err := dir.ResetToken(t.Context(), api.SystemActor("test"), 1); err != nil {
		t.Fatal(err)
	}
	res, _ := get(t, srv.URL+"/live/alice/"+password+"/1.ts")
	if loc := res.Header.Get("Location"); strings.Contains(loc, "tok-alice") || !strings.Contains(loc, "token=") {
		t.Errorf("after reset the redirect is %q, want the new token", loc)
	}
}

func TestParseStart(t *testing.T) {
	want := time.Date(2025, 3, 1, 20, 5, 0, 0, time.UTC)
	for _, s := range []string{"2025-03-01:20-05", "2025-03-01:20-05-00", "2025-03-01_20-05", "2025-03-01:20:05",
		"2025-03-01 20:05:00", "1740859500"} {
		got, ok := xtream.ParseStart(s)
		if !ok || !got.Equal(want) {
			t.Errorf("ParseStart(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	if _, ok := xtream.ParseStart("20:05"); ok {
		t.Error("ParseStart(\"20:05\") succeeded, want failure")
	}
}
