package subscriberapi_test

import (
	"bytes"
	"compress/gzip"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"canale/server/internal/httpserver"
	"canale/server/internal/playlist"
	"canale/server/internal/subscriberapi"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func init() { gin.SetMode(gin.TestMode) }

var (
	now   = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	added = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
)

// fixture is a small line-up with every case the writers care about: DVR
// and no DVR, uploaded and external logos, a channel with no category.
func fixture() *subscriberview.Static {
	subs := []subscriberview.Subscriber{
		{ID: 1, Login: "alice", Token: "tok-alice", Status: "active"},
		{ID: 3, Login: "carol", Token: "tok-carol", Status: "disabled"},
		{ID: 4, Login: "dave", Token: "tok-dave", Status: "active", ExpiresAt: now.Add(-time.Hour)},
	}
	lineup := subscriberview.Lineup{
		Channels: []subscriberview.Channel{
			{ID: 1, Name: "ch1", Title: "Channel One", LogoURL: "https://logos.example/1.png", CategoryID: 1, Number: 1,
				EPGChannelID: "one.example", DVRDays: 3, Added: added},
			{ID: 2, Name: "ch2", Title: "Channel Two", HasLogo: true, CategoryID: 2, Number: 2, Added: added},
			{ID: 4, Name: "ch4", Title: "Free Four", Number: 4, Added: added},
		},
		VOD: []subscriberview.VOD{{ID: 1, Title: "Film", StreamName: "film1", Container: "mp4", CategoryID: 3,
			Description: "A film.", DurationS: 5400, Year: 2001, Rating: 7.5, Added: added}},
		LiveCategories: []subscriberview.Category{{ID: 1, Name: "News"}, {ID: 2, Name: "Sport"}},
		VODCategories:  []subscriberview.Category{{ID: 3, Name: "Movies"}},
	}
	return subscriberview.NewStatic(subs, lineup, nil)
}

func guide() subscriberview.MemGuide {
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	return subscriberview.MemGuide{
		{Channel: "one.example", Start: at(-1), Stop: at(0), Title: "Earlier", Desc: "Before now."},
		{Channel: "one.example", Start: at(0), Stop: at(1), Title: "News at noon", Desc: "Headlines & weather."},
		{Channel: "one.example", Start: at(1), Stop: at(2), Title: "Afternoon"},
		{Channel: "ch2", Start: at(0), Stop: at(2), Title: "Match"},
		{Channel: "elsewhere", Start: at(0), Stop: at(2), Title: "Not ours"},
	}
}

func newServer(t testing.TB) *httptest.Server {
	t.Helper()
	api := subscriberapi.New(subscriberapi.Deps{Directory: fixture(), Guide: guide(),
		Logger: slog.New(slog.DiscardHandler), ExternalURL: "https://tv.example.net", Now: func() time.Time { return now }})
	e := httpserver.New(httpserver.Options{Logger: slog.New(slog.DiscardHandler), Registry: httpserver.NewRegistry(),
		Mounts: []httpserver.Mount{{Prefix: "", Surface: api}}})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip
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

func TestPlaylistGolden(t *testing.T) {
	srv := newServer(t)
	tests := []struct{ name, path string }{
		{"m3u_kodi_hls", "/playlist/tok-alice.m3u8"},
		{"m3u_kodi_ts", "/playlist/tok-alice/ts.m3u"},
		{"m3u_generic_hls", "/playlist/tok-alice.m3u8?player=generic"},
		{"m3u_vlc_ts", "/playlist/tok-alice/ts.m3u?player=vlc"},
		{"xmltv", "/epg/tok-alice.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, srv.URL+tt.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %q", res.StatusCode, body)
			}
			golden(t, tt.name, body)
		})
	}
}

// TestPlaylistsParseBack reads the served playlists back with the
// playlist package's parser, which its own tests hold to Kodi's rules.
func TestPlaylistsParseBack(t *testing.T) {
	srv := newServer(t)
	_, body := get(t, srv.URL+"/playlist/tok-alice.m3u8")
	entries, err := playlist.ParseM3U(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Fatalf("parsed %d entries, want 3", len(entries))
	}
	if got, want := entries[0].URL, "https://tv.example.net/ch1/index.m3u8?token=tok-alice"; got != want {
		t.Errorf("first URL = %q, want %q", got, want)
	}
}

func TestPlaylistHeaders(t *testing.T) {
	srv := newServer(t)
	res, body := get(t, srv.URL+"/playlist/tok-alice.m3u8")
	if got, want := res.Header.Get("Content-Type"), "audio/x-mpegurl; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	res2, body2 := get(t, srv.URL+"/playlist/tok-alice.m3u8", "If-None-Match", etag)
	if res2.StatusCode != http.StatusNotModified || len(body2) != 0 {
		t.Errorf("If-None-Match: status %d with %d bytes, want 304 and no body", res2.StatusCode, len(body2))
	}
	res3, gz := get(t, srv.URL+"/playlist/tok-alice.m3u8", "Accept-Encoding", "gzip")
	if res3.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", res3.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(plain, body) {
		t.Errorf("gunzipped body differs from the plain one (err %v)", err)
	}
	res4, _ := get(t, srv.URL+"/playlist/tok-alice.m3u8?player=vlc", "If-None-Match", etag)
	if res4.StatusCode != http.StatusOK {
		t.Errorf("another variant with the first ETag: status %d, want 200", res4.StatusCode)
	}
}

func TestEPGGzipFile(t *testing.T) {
	srv := newServer(t)
	_, plain := get(t, srv.URL+"/epg/tok-alice.xml")
	res, body := get(t, srv.URL+"/epg/tok-alice.xml.gz")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" {
		t.Fatalf("status %d, Content-Encoding %q; want 200 and a gzip file, not an encoding",
			res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, plain) {
		t.Errorf("the .xml.gz holds %d bytes, want the %d of .xml", len(got), len(plain))
	}
}

func TestRefusals(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		path       string
		wantStatus int
		wantBody   string
	}{
		{"/playlist/nope.m3u8", 404, "unknown playlist: the link may have been reset; get a new one from the portal\n"},
		{"/playlist/tok-carol.m3u8", 403, "account disabled\n"},
		{"/playlist/tok-dave/ts.m3u", 403, "subscription expired\n"},
		{"/epg/tok-dave.xml.gz", 403, "subscription expired\n"},
		{"/epg/nope.xml", 404, "unknown playlist: the link may have been reset; get a new one from the portal\n"},
		{"/playlist/tok-alice.m3u8?player=winamp", 400, "player must be kodi, generic or vlc\n"},
		{"/playlist/tok-alice.txt", 404, "unknown playlist\n"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, body := get(t, srv.URL+tt.path)
			if res.StatusCode != tt.wantStatus || string(body) != tt.wantBody {
				t.Errorf("got %d %q, want %d %q", res.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}
