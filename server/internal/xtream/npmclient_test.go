package xtream_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const npmClientDir = "testdata/npmclient"

// requireNPMClient finds node and installs the locked @iptv/xtream-api into
// testdata/npmclient when it is not there yet. A missing node or a failed
// install fails the test under CI=true, where `make deps` promises them,
// and skips it elsewhere.
func requireNPMClient(t *testing.T) string {
	t.Helper()
	missing := func(msg string) {
		t.Helper()
		msg += "; install with: apt-get install nodejs npm (make deps), then npm ci in " + npmClientDir
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found")
	}
	installed := true
	for _, pkg := range []string{"@iptv/xtream-api", "iptv-playlist-parser"} {
		if _, err := os.Stat(filepath.Join(npmClientDir, "node_modules", pkg, "package.json")); err != nil {
			installed = false
		}
	}
	if !installed {
		npm, err := exec.LookPath("npm")
		if err != nil {
			missing("npm not found and the clients in package.json not installed")
		}
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--prefer-offline")
		cmd.Dir = npmClientDir
		if out, err := cmd.CombinedOutput(); err != nil {
			missing("npm ci failed: " + err.Error() + ": " + string(out))
		}
	}
	return node
}

// npmResult is what client.mjs prints: each call's serialized answer or
// {"error": …}.
type npmResult map[string]json.RawMessage

func (r npmResult) into(t *testing.T, name string, v any) {
	t.Helper()
	raw, ok := r[name]
	if !ok {
		t.Fatalf("%s: not run", name)
	}
	var e struct{ Error *string }
	if json.Unmarshal(raw, &e) == nil && e.Error != nil {
		t.Fatalf("%s: @iptv/xtream-api failed: %s", name, *e.Error)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v: %s", name, err, raw)
	}
}

// TestNPMXtreamClient signs in, lists categories and streams, reads a
// movie and the guide, and opens live, movie and catch-up URLs with
// @iptv/xtream-api (npm), an XC client written outside this project, through
// its standardized serializer, which converts every field and throws on a
// missing list.
func TestNPMXtreamClient(t *testing.T) {
	node := requireNPMClient(t)
	srv := newServer(t)
	cmd := exec.CommandContext(t.Context(), node, "client.mjs", srv.URL, "alice", password)
	cmd.Dir = npmClientDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node client.mjs: %v\n%s", err, stderr.Bytes())
	}
	var r npmResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("client output: %v: %s", err, out)
	}
	if testing.Verbose() {
		t.Logf("client output: %s", out)
	}

	var profile struct {
		Username                          string
		Status                            string
		IsTrial                           bool
		MaxConnections, ActiveConnections int
		ExpiresAt, CreatedAt              string
	}
	r.into(t, "profile", &profile)
	if profile.Username != "alice" || profile.Status != "Active" || profile.IsTrial || profile.MaxConnections != 2 ||
		profile.ActiveConnections != 0 || profile.ExpiresAt != "2026-01-01T00:00:00.000Z" ||
		profile.CreatedAt != "2024-01-02T03:04:05.000Z" {
		t.Errorf("profile = %+v", profile)
	}
	var server struct{ URL, Port, HTTPSPort, RTMPPort, ServerProtocol, TimeNow string }
	r.into(t, "serverInfo", &server)
	if server != (struct{ URL, Port, HTTPSPort, RTMPPort, ServerProtocol, TimeNow string }{
		"tv.example.net", "443", "443", "0", "https", "2025-03-01T12:00:00.000Z"}) {
		t.Errorf("serverInfo = %+v", server)
	}

	type cat struct{ ID, Name, ParentID string }
	var liveCats, vodCats []cat
	r.into(t, "channelCategories", &liveCats)
	r.into(t, "movieCategories", &vodCats)
	if want := []cat{{"1", "News", "0"}, {"2", "Sport", "0"}}; !reflect.DeepEqual(liveCats, want) {
		t.Errorf("channel categories = %+v, want %+v", liveCats, want)
	}
	if want := []cat{{"3", "Movies", "0"}}; !reflect.DeepEqual(vodCats, want) {
		t.Errorf("movie categories = %+v, want %+v", vodCats, want)
	}

	type channel struct {
		ID, Name, EPGID, Logo, URL, CreatedAt string
		Number, TVArchiveDuration             int
		TVArchive                             bool
		CategoryIDs                           []string
	}
	var chs, inCat, page []channel
	r.into(t, "channels", &chs)
	r.into(t, "channelsInCategory", &inCat)
	r.into(t, "channelsPage", &page)
	if len(chs) != 3 {
		t.Fatalf("channels = %+v, want 3", chs)
	}
	want := channel{ID: "1", Name: "Channel One", EPGID: "one.example", Logo: "https://tv.example.net/logos/1",
		URL: srv.URL + "/live/alice/" + password + "/1.ts", CreatedAt: "2024-01-02T03:04:05.000Z", Number: 1,
		TVArchiveDuration: 3, TVArchive: true, CategoryIDs: []string{"1"}}
	if !reflect.DeepEqual(chs[0], want) {
		t.Errorf("first channel = %+v\nwant %+v", chs[0], want)
	}
	if chs[1].TVArchive || chs[2].ID != "4" {
		t.Errorf("channels 2 and 3 = %+v, %+v; want no archive on 2, id 4 last", chs[1], chs[2])
	}
	if len(inCat) != 1 || inCat[0].ID != "2" {
		t.Errorf("channels of category 2 = %+v, want channel 2 only", inCat)
	}
	if len(page) != 1 || page[0].ID != "4" {
		t.Errorf("page 2 of 2 = %+v, want channel 4", page)
	}

	var movies []struct{ ID, Poster, URL string }
	r.into(t, "movies", &movies)
	if len(movies) != 2 || movies[0].ID != "1" || movies[0].URL != srv.URL+"/movie/alice/"+password+"/1.mp4" ||
		movies[1].ID != "5001" || movies[1].URL != srv.URL+"/movie/alice/"+password+"/5001.mkv" {
		t.Errorf("movies = %+v", movies)
	}
	var movie struct {
		ID, Name, Plot, DurationFormatted, URL string
		Duration                               int
		CategoryIDs                            []string
	}
	r.into(t, "movie", &movie)
	if movie.ID != "1" || movie.Name != "Film" || movie.Plot != "A film." || movie.Duration != 5400 ||
		movie.DurationFormatted != "01:30:00" || !reflect.DeepEqual(movie.CategoryIDs, []string{"3"}) ||
		movie.URL != srv.URL+"/movie/alice/"+password+"/1.mp4" {
		t.Errorf("movie = %+v", movie)
	}
	var notFound struct{ Error string }
	if err := json.Unmarshal(r["missingMovie"], &notFound); err != nil || notFound.Error != "Movie Not Found" {
		t.Errorf("unknown movie: %s, want the library's Movie Not Found", r["missingMovie"])
	}

	type listing struct {
		Title, Description, EPGID, Start string
		NowPlaying, HasArchive           bool
	}
	var short, full []listing
	r.into(t, "shortEPG", &short)
	r.into(t, "fullEPG", &full)
	if len(short) != 2 || short[0].Title != "News at noon" || short[0].Description != "Headlines & weather." ||
		short[1].Title != "Afternoon" || short[0].EPGID != "one.example" {
		t.Errorf("short EPG = %+v, want the current and next programme, decoded", short)
	}
	if len(full) != 4 || full[0].Title != "Morning" || !full[0].HasArchive || full[0].NowPlaying ||
		!full[1].NowPlaying || full[2].HasArchive {
		t.Errorf("full EPG = %+v, want 4 with Morning archived and News at noon playing", full)
	}

	type play struct {
		URL, Location string
		Status        int
	}
	for name, w := range map[string]play{
		"playLive":  {srv.URL + "/live/alice/" + password + "/1.ts", "https://tv.example.net/ch1/mpegts?token=tok-alice", 302},
		"playMovie": {srv.URL + "/movie/alice/" + password + "/1.mp4", "https://tv.example.net/film1?token=tok-alice", 302},
		"playCatchup": {srv.URL + "/timeshift/alice/" + password + "/60/2025-03-01:10-00/1.ts",
			"https://tv.example.net/ch1/archive-1740823200-3600.ts?token=tok-alice", 302},
		"playCatchupTooOld": {srv.URL + "/timeshift/alice/" + password + "/60/2025-01-01:10-00/1.ts", "", 404},
		"playEpisode": {srv.URL + "/series/alice/" + password + "/7001.mp4",
			"https://tv.example.net/vod/hl/Arrival.mp4?token=tok-alice", 302},
	} {
		var got play
		r.into(t, name, &got)
		if got != w {
			t.Errorf("%s = %+v\nwant %+v", name, got, w)
		}
	}
	// Series, seasons and episodes as the library reads them.
	type show struct {
		ID, Name    string
		CategoryIDs []string
		Seasons     []struct {
			ID       string
			Number   int
			Episodes []struct{ ID, Title, URL string }
		}
	}
	var showCats []cat
	var shows, inKids []show
	var hl show
	r.into(t, "showCategories", &showCats)
	r.into(t, "shows", &shows)
	r.into(t, "showsInCategory", &inKids)
	r.into(t, "show", &hl)
	if want := []cat{{"20", "Drama", "0"}, {"21", "Kids", "0"}}; !reflect.DeepEqual(showCats, want) {
		t.Errorf("show categories = %+v, want %+v", showCats, want)
	}
	if len(shows) != 2 || shows[0].ID != "301" || shows[1].ID != "302" || len(inKids) != 1 || inKids[0].ID != "302" {
		t.Errorf("shows = %+v, in category 21 = %+v; want 301 and 302, then 302 alone", shows, inKids)
	}
	var eps []string
	for _, z := range hl.Seasons {
		for _, e := range z.Episodes {
			eps = append(eps, fmt.Sprintf("S%02d %s %s", z.Number, e.ID, strings.TrimPrefix(e.URL, srv.URL)))
		}
	}
	wantEps := []string{"S00 7000 /series/alice/" + password + "/7000.mp4", "S01 7001 /series/alice/" + password + "/7001.mp4",
		"S01 7002 /series/alice/" + password + "/7002.mp4"} // 7003 is disabled; season 2 has none
	if hl.ID != "301" || hl.Name != "Harbour Lights" || !reflect.DeepEqual(eps, wantEps) {
		t.Errorf("show 301 = %s %s, episodes %q; want Harbour Lights with %q", hl.ID, hl.Name, eps, wantEps)
	}

	// The library does not throw on {"user_info":{"auth":0}}: it hands back
	// a profile without a user, which is how its callers see a bad login.
	var bad struct {
		Username       *string
		MaxConnections *int
	}
	r.into(t, "badLogin", &bad)
	if bad.Username != nil || bad.MaxConnections != nil {
		t.Errorf("bad login: %s, want a profile without username or connections", r["badLogin"])
	}
}
