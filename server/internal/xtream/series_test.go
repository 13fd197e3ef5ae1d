package xtream_test

import (
	"encoding/json"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/subscriberview"
	"canale/shared/api"
)

// seriesFixture is a show with specials (season 0), a season with a
// disabled episode and a season with no episodes, and a second show with
// no metadata at all.
func seriesFixture() []*subscriberview.Series {
	hl := &subscriberview.Series{ID: 301, Title: "Harbour Lights", CategoryID: 20,
		CoverURL: "https://img.example.net/s/hl.jpg", Plot: "A port town…", Rating: 8.2, EpisodeRunTime: 45,
		Enabled: true, UpdatedAt: time.Date(2025, 1, 4, 14, 13, 20, 0, time.UTC),
		Metadata: api.Metadata{Cast: "D. Actor, E. Actor", Director: "F. Director", Genre: "Drama, Crime",
			ReleaseDate: "2021-09-10", BackdropURLs: []string{"https://img.example.net/b/hl1.jpg"}, TMDBID: "90210"}}
	specials := &subscriberview.Season{ID: 5000, SeasonNumber: 0}
	s1 := &subscriberview.Season{ID: 5001, SeasonNumber: 1, AirDate: "2021-09-10",
		CoverURL: "https://img.example.net/s/hl_s1.jpg"}
	s2 := &subscriberview.Season{ID: 5002, SeasonNumber: 2, Name: "Next year"}
	ep := func(z *subscriberview.Season, id int64, n int, title string, enabled bool) *subscriberview.Episode {
		return &subscriberview.Episode{ReadEpisode: store.ReadEpisode{ID: id, EpisodeNum: n, Title: title,
			StreamName: "vod/hl/" + title + ".mp4", Container: "mp4", Plot: "…", DurationS: 2700, Rating: 7.6,
			ImageURL: "https://img.example.net/e/x.jpg", Enabled: enabled, CreatedAt: added}, Series: hl, Season: z}
	}
	specials.Episodes = []*subscriberview.Episode{ep(specials, 7000, 1, "Making-of", true)}
	s1.Episodes = []*subscriberview.Episode{ep(s1, 7001, 1, "Arrival", true), ep(s1, 7002, 2, "Low-Tide", true),
		ep(s1, 7003, 3, "Unaired", false)}
	s1.Episodes[0].ReleaseDate, s1.Episodes[0].TMDBID = "2021-09-10", "1200001"
	hl.Seasons = []*subscriberview.Season{specials, s1, s2}

	bare := &subscriberview.Series{ID: 302, Title: "Tiny Tales", CategoryID: 21, Enabled: true,
		UpdatedAt: time.Date(2025, 1, 4, 14, 13, 20, 0, time.UTC)}
	z := &subscriberview.Season{ID: 5100, SeasonNumber: 1}
	z.Episodes = []*subscriberview.Episode{{ReadEpisode: store.ReadEpisode{ID: 7100, EpisodeNum: 1,
		StreamName: "vod/tt/1.mp4", Enabled: true, CreatedAt: added}, Series: bare, Season: z}}
	bare.Seasons = []*subscriberview.Season{z}
	return []*subscriberview.Series{hl, bare}
}

// TestSeriesInfoShape checks the rules of xtream-series-vod.md §9.1 that
// the strict clients depend on, beyond the golden bytes.
func TestSeriesInfoShape(t *testing.T) {
	srv := newServer(t)
	_, body := get(t, srv.URL+"/player_api.php?"+creds+"&action=get_series_info&series_id=301")
	var got struct {
		Seasons []map[string]any `json:"seasons"`
		Info    map[string]any   `json:"info"`
		// An object keyed by season number, even for seasons 0 and 1,
		// which PHP would turn into a list.
		Episodes map[string][]map[string]any `json:"episodes"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	if len(got.Seasons) != 2 {
		t.Errorf("seasons = %v; want seasons 0 and 1 only (season 2 has no episodes)", got.Seasons)
	}
	for _, z := range got.Seasons {
		for _, k := range []string{"season_number", "name", "cover", "cover_big", "episode_count", "id"} {
			if _, ok := z[k]; !ok {
				t.Errorf("season %v lacks %q", z, k)
			}
		}
	}
	if n := len(got.Episodes["1"]); n != 2 {
		t.Errorf("season 1 has %d episodes; want 2 (the disabled one hidden)", n)
	}
	e := got.Episodes["1"][0]
	if _, ok := e["id"].(string); !ok {
		t.Errorf("episode id = %#v; want a string", e["id"])
	}
	if _, ok := e["season"].(float64); !ok {
		t.Errorf("episode season = %#v; want a number", e["season"])
	}
	if e["title"] != "Harbour Lights - S01E01 - Arrival" {
		t.Errorf("episode title = %v", e["title"])
	}
	if got.Info["rating"] != "8" || got.Info["category_id"] != "20" {
		t.Errorf("info rating, category_id = %v, %v; want \"8\", \"20\"", got.Info["rating"], got.Info["category_id"])
	}
}

func TestSeriesPlayback(t *testing.T) {
	srv := newServer(t)
	p := "alice/" + password
	for _, tt := range []struct {
		path     string
		status   int
		location string
	}{
		{"/series/" + p + "/7001.mp4", 302, "https://tv.example.net/vod/hl/Arrival.mp4?token=tok-alice"},
		{"/series/" + p + "/7001.m3u8", 302, "https://tv.example.net/vod/hl/Arrival.mp4/index.m3u8?token=tok-alice"},
		{"/series/" + p + "/7003.mp4", 404, ""}, // disabled
		{"/series/" + p + "/9999.mp4", 404, ""},
		{"/series/" + p + "/5001.mp4", 404, ""}, // a movie's id is not an episode
		{"/series/alice/wrong/7001.mp4", 403, ""},
		{"/movie/" + p + "/5001.mkv", 302, "https://tv.example.net/vod/films/night-train.mkv?token=tok-alice"},
	} {
		res, _ := get(t, srv.URL+tt.path)
		if res.StatusCode != tt.status || res.Header.Get("Location") != tt.location {
			t.Errorf("GET %s = %d %q; want %d %q", tt.path, res.StatusCode, res.Header.Get("Location"), tt.status, tt.location)
		}
	}
}
