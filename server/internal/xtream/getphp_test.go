package xtream_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"canale/server/internal/playlist"
)

// TestGetPHPTypesGolden pins every get.php type and the key filter:
// m3u_plus with live, movies or both, and the Enigma2 bouquets.
func TestGetPHPTypesGolden(t *testing.T) {
	srv := newServer(t)
	for _, tt := range []struct{ name, query, contentType string }{
		{"get_php_m3u_plus_key_live", "&type=m3u_plus&output=ts&key=live", "audio/x-mpegurl; charset=utf-8"},
		{"get_php_m3u_plus_key_movie", "&type=m3u_plus&key=movie", "audio/x-mpegurl; charset=utf-8"},
		{"get_php_m3u_key_series", "&type=m3u&key=series", "audio/x-mpegurl; charset=utf-8"},
		{"get_php_enigma16_ts", "&type=enigma16&output=ts", "application/octet-stream"},
		{"get_php_dreambox_ts", "&type=dreambox&output=ts", "application/octet-stream"},
		{"get_php_dreambox_hls", "&type=dreambox&output=hls", "application/octet-stream"},
		{"get_php_gigablue_movie", "&type=gigablue&key=movie", "application/octet-stream"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, srv.URL+"/get.php?"+creds+tt.query)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != tt.contentType {
				t.Fatalf("status %d, Content-Type %q; want 200 %s", res.StatusCode, res.Header.Get("Content-Type"),
					tt.contentType)
			}
			golden(t, tt.name, body)
		})
	}
}

// TestGetPHPKeyFilter counts the entries of each kind for every key.
func TestGetPHPKeyFilter(t *testing.T) {
	srv := newServer(t)
	for _, tt := range []struct {
		key                  string
		live, movie, episode int
	}{
		// The fixture: 3 channels, 2 movies, and 4 enabled episodes in
		// two series (series_test.go).
		{"", 3, 2, 4}, {"live", 3, 0, 0}, {"movie", 0, 2, 0}, {"series", 0, 0, 4}, {"live,movie", 3, 2, 0},
		{"radio_streams", 0, 0, 0}, {"movie,series", 0, 2, 4},
	} {
		for _, typ := range []string{"m3u_plus", "m3u", "enigma16"} {
			_, body := get(t, srv.URL+"/get.php?"+creds+"&type="+typ+"&key="+url.QueryEscape(tt.key))
			live := strings.Count(string(body), "/live/alice/")
			movie := strings.Count(string(body), "/movie/alice/")
			episode := strings.Count(string(body), "/series/alice/")
			if live != tt.live || movie != tt.movie || episode != tt.episode {
				t.Errorf("type=%s key=%q: %d live, %d movie and %d episode entries, want %d, %d and %d", typ, tt.key,
					live, movie, episode, tt.live, tt.movie, tt.episode)
			}
		}
	}
}

// TestGetPHPM3UPlusParses reads m3u_plus back with the M3U parser and checks
// what e2m3u2bouquet and BMX need (enigma2.md §3): tvg- attributes on
// every entry, groups, live URLs ending in the stream id and extension.
func TestGetPHPM3UPlusParses(t *testing.T) {
	srv := newServer(t)
	_, body := get(t, srv.URL+"/get.php?"+creds+"&type=m3u_plus&output=m3u8")
	entries, err := playlist.ParseM3U(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 9 {
		t.Fatalf("%d entries, want 3 channels, 2 movies and 4 episodes: %+v", len(entries), entries)
	}
	if ep := entries[5]; ep.Title != "Harbour Lights S00E01" || ep.Group != "Drama" ||
		ep.URL != "https://tv.example.net/series/alice/"+password+"/7000.mp4" {
		t.Errorf("first episode entry = %+v", ep)
	}
	film := entries[3]
	if film.Title != "Film" || film.TVGName != "Film" || film.Group != "Movies" ||
		film.URL != "https://tv.example.net/movie/alice/"+password+"/1.mp4" {
		t.Errorf("movie entry = %+v", film)
	}
	if e := entries[0]; e.URL != "https://tv.example.net/live/alice/"+password+"/1.m3u8" || e.TVGID != "one.example" {
		t.Errorf("first live entry = %+v", e)
	}
}

// TestBouquetLoads checks a bouquet against the rules of the Enigma2 loader
// and the tools that split its lines (enigma2.md §1.2, §1.3): CRLF on every
// line, no line shorter than 2 bytes (it would end the bouquet), #NAME
// first, each #SERVICE followed by its #DESCRIPTION, and a service line
// that splits on ':' into exactly 11 fields whose last, unescaped, is the
// stream URL.
func TestBouquetLoads(t *testing.T) {
	srv := newServer(t)
	res, body := get(t, srv.URL+"/get.php?"+creds+"&type=dreambox&output=ts")
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="userbouquet.favourites.tv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !bytes.HasSuffix(body, []byte("\r\n")) {
		t.Fatalf("bouquet does not end with CRLF: %q", body)
	}
	lines := strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n")
	if lines[0] != "#NAME Canale" {
		t.Errorf("first line %q, want #NAME", lines[0])
	}
	var urls []string
	for i := 1; i < len(lines); i += 2 {
		svc, desc := lines[i], ""
		if i+1 < len(lines) {
			desc = lines[i+1]
		}
		if len(svc) < 2 || strings.ContainsAny(svc, "\n\r") || !strings.HasPrefix(desc, "#DESCRIPTION ") {
			t.Fatalf("lines %d-%d: %q, %q; want a #SERVICE then its #DESCRIPTION", i, i+1, svc, desc)
		}
		ref, ok := strings.CutPrefix(svc, "#SERVICE ")
		fields := strings.Split(ref, ":")
		if !ok || len(fields) != 11 {
			t.Fatalf("line %d %q: %d fields, want #SERVICE and 11", i, svc, len(fields))
		}
		u, err := url.PathUnescape(fields[10])
		if err != nil {
			t.Fatalf("line %d: path %q: %v", i, fields[10], err)
		}
		urls = append(urls, fields[0]+" "+u)
	}
	want := []string{
		"1 https://tv.example.net/live/alice/" + password + "/1.ts",
		"1 https://tv.example.net/live/alice/" + password + "/2.ts",
		"1 https://tv.example.net/live/alice/" + password + "/4.ts",
		"4097 https://tv.example.net/movie/alice/" + password + "/1.mp4",
		"4097 https://tv.example.net/movie/alice/" + password + "/5001.mkv",
		"4097 https://tv.example.net/series/alice/" + password + "/7000.mp4",
		"4097 https://tv.example.net/series/alice/" + password + "/7001.mp4",
		"4097 https://tv.example.net/series/alice/" + password + "/7002.mp4",
		"4097 https://tv.example.net/series/alice/" + password + "/7100.mp4",
	}
	if strings.Join(urls, "\n") != strings.Join(want, "\n") {
		t.Errorf("services:\n%s\nwant:\n%s", strings.Join(urls, "\n"), strings.Join(want, "\n"))
	}
}
