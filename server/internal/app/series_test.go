package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestSeriesOnlyInPackages is the package filter of movies and series end
// to end: a subscriber sees and opens what its packages hold, and a series,
// season, episode or movie outside them is answered exactly as an unknown
// id is, in lists, details and playback URLs.
func TestSeriesOnlyInPackages(t *testing.T) {
	srv := testserver.Start(t)
	ctx := context.Background()
	cat, err := srv.Admin.CreateCategory(ctx, api.Category{Kind: api.CategorySeries, Name: "Drama"})
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := srv.Admin.CreateCategory(ctx, api.Category{Kind: api.CategorySeries, Name: "Hidden"})
	if err != nil {
		t.Fatal(err)
	}
	show := func(title string, cat int64) api.SeriesImport {
		return api.SeriesImport{SeriesCreate: api.SeriesCreate{Title: title, CategoryID: &cat, Rating: 7.6},
			Seasons: []api.SeasonImport{
				{Season: api.Season{SeasonNumber: 1}, Episodes: []api.EpisodeCreate{
					{EpisodeNum: 1, Title: "One", StreamName: "vod/" + title + "/1.mp4"},
					{EpisodeNum: 2, Title: "Two", StreamName: "vod/" + title + "/2.mp4"}}},
				{Season: api.Season{SeasonNumber: 2}, Episodes: []api.EpisodeCreate{
					{EpisodeNum: 1, Title: "Three", StreamName: "vod/" + title + "/3.mp4", Container: "mkv"}}},
			}}
	}
	rep, err := srv.Admin.ImportSeries(ctx, api.SeriesImportBody{Series: []api.SeriesImport{
		show("Seen", cat.ID), show("Unseen", hidden.ID)}})
	if err != nil || rep.Created != 2 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	all, err := srv.Admin.SeriesList(ctx, api.SeriesFilter{}, api.ListParams{})
	if err != nil || len(all.Items) != 2 {
		t.Fatalf("series list: %+v, %v", all, err)
	}
	ids := map[string]int64{}
	for _, s := range all.Items {
		ids[s.Title] = s.ID
	}
	episodes := map[string][]api.Episode{}
	for title, id := range ids {
		pg, err := srv.Admin.Episodes(ctx, api.EpisodeFilter{SeriesID: id}, api.ListParams{})
		if err != nil || len(pg.Items) != 3 {
			t.Fatalf("episodes of %s: %+v, %v", title, pg, err)
		}
		episodes[title] = pg.Items
	}
	seenMovie, err := srv.Admin.CreateVOD(ctx, api.VODCreate{Title: "Seen Movie", StreamName: "vod/films/seen.mp4",
		Metadata: api.Metadata{ReleaseDate: "2019-05-01", Genre: "Drama"}})
	if err != nil {
		t.Fatal(err)
	}
	unseenMovie, err := srv.Admin.CreateVOD(ctx, api.VODCreate{Title: "Unseen Movie", StreamName: "vod/films/unseen.mp4"})
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := srv.Admin.CreatePackage(ctx, api.Package{Name: "Series", SeriesIDs: []int64{ids["Seen"]},
		VODIDs: []int64{seenMovie.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Admin.CreatePackage(ctx, api.Package{Name: "Other", SeriesIDs: []int64{ids["Unseen"]},
		VODIDs: []int64{unseenMovie.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Admin.CreateSubscriber(ctx, api.Subscriber{Login: "alice", Password: "alice-password-1",
		PackageIDs: []int64{pkg.ID}}); err != nil {
		t.Fatal(err)
	}
	xc := srv.URL + "/player_api.php?username=alice&password=alice-password-1&action="
	waitFor(t, "the series in the read model", func() bool {
		_, body := get(t, xc+"get_series")
		return strings.Contains(body, `"Seen"`)
	})

	_, body := get(t, xc+"get_series")
	var list []struct {
		SeriesID   int64  `json:"series_id"`
		Name       string `json:"name"`
		CategoryID string `json:"category_id"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) != 1 || list[0].SeriesID != ids["Seen"] {
		t.Errorf("get_series = %s (%v); want only the series of alice's package", body, err)
	}
	if _, body := get(t, xc+"get_series_categories"); strings.Contains(body, "Hidden") || !strings.Contains(body, "Drama") {
		t.Errorf("get_series_categories = %s; want Drama and not Hidden", body)
	}
	if _, body := get(t, xc+"get_vod_streams"); strings.Contains(body, "Unseen") || !strings.Contains(body, `"Seen Movie (2019)"`) {
		t.Errorf("get_vod_streams = %s; want only the movie of alice's package", body)
	}
	_, unknown := get(t, xc+"get_series_info&series_id=999999")
	if _, body := get(t, xc+"get_series_info&series_id="+strconv.FormatInt(ids["Unseen"], 10)); body != unknown {
		t.Errorf("get_series_info of a series outside the packages = %s; want the unknown answer %s", body, unknown)
	}
	_, info := get(t, xc+"get_series_info&series_id="+strconv.FormatInt(ids["Seen"], 10))
	var got struct {
		Seasons []struct {
			SeasonNumber int `json:"season_number"`
		} `json:"seasons"`
		Episodes map[string][]struct {
			ID string `json:"id"`
		} `json:"episodes"`
	}
	if err := json.Unmarshal([]byte(info), &got); err != nil || len(got.Seasons) != 2 || len(got.Episodes["1"]) != 2 ||
		len(got.Episodes["2"]) != 1 {
		t.Errorf("get_series_info = %s (%v); want two seasons of 2 and 1 episodes", info, err)
	}
	_, vodUnknown := get(t, xc+"get_vod_info&vod_id=999999")
	if _, body := get(t, xc+"get_vod_info&vod_id="+strconv.FormatInt(unseenMovie.ID, 10)); body != vodUnknown {
		t.Errorf("get_vod_info of a movie outside the packages = %s; want %s", body, vodUnknown)
	}
	if _, body := get(t, xc+"get_vod_info&vod_id="+strconv.FormatInt(seenMovie.ID, 10)); !strings.Contains(body, `"genre":"Drama"`) {
		t.Errorf("get_vod_info = %s; want the movie's metadata", body)
	}

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	open := func(path string) (int, string) {
		t.Helper()
		res, err := noRedirect.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header.Get("Location")
	}
	id := func(e api.Episode) string { return strconv.FormatInt(e.ID, 10) }
	var three api.Episode
	for _, e := range episodes["Seen"] {
		if e.Title == "Three" {
			three = e
		}
	}
	if code, loc := open("/series/alice/alice-password-1/" + id(three) + ".mkv"); code != http.StatusFound ||
		!strings.HasSuffix(loc, "/vod/Seen/3.mp4?token="+mustToken(t, srv, "alice")) {
		t.Errorf("episode of alice's series: %d %q; want 302 to its file", code, loc)
	}
	if code, loc := open("/movie/alice/alice-password-1/" + strconv.FormatInt(seenMovie.ID, 10) + ".mp4"); code != http.StatusFound ||
		!strings.Contains(loc, "/vod/films/seen.mp4") {
		t.Errorf("alice's movie: %d %q; want 302 to its file", code, loc)
	}
	for _, e := range episodes["Unseen"] {
		if code, loc := open("/series/alice/alice-password-1/" + id(e) + ".mp4"); code != http.StatusNotFound || loc != "" {
			t.Errorf("episode %d outside alice's packages: %d %q; want 404", e.ID, code, loc)
		}
	}
	if code, _ := open("/movie/alice/alice-password-1/" + strconv.FormatInt(unseenMovie.ID, 10) + ".mp4"); code != http.StatusNotFound {
		t.Errorf("movie outside alice's packages: %d; want 404", code)
	}
	// An episode id is not a movie id, nor the other way round.
	if code, _ := open("/movie/alice/alice-password-1/" + id(episodes["Seen"][0]) + ".mp4"); code != http.StatusNotFound {
		t.Errorf("an episode id on /movie/: %d; want 404", code)
	}
}

// TestSeriesImportM3U imports episodes from a playlist as XC panels write
// them, and reports the lines that are no episode.
func TestSeriesImportM3U(t *testing.T) {
	srv := testserver.Start(t)
	ctx := context.Background()
	m3u := "#EXTM3U\n#EXTINF:-1,Harbour Lights S01E01\nhttp://panel.example.net/series/u/p/1.mkv\n" +
		"#EXTINF:-1,Harbour Lights S01E02 - Low Tide\nhttp://panel.example.net/series/u/p/2.mkv\n" +
		"#EXTINF:-1,Canale News\nhttp://panel.example.net/live/u/p/3.ts\n"
	rep, err := srv.Admin.ImportSeriesM3U(ctx, []byte(m3u))
	if err != nil || rep.Created != 1 || len(rep.Skipped) != 1 || rep.Skipped[0].Line != 6 {
		t.Fatalf("import: %+v, %v; want one series and the live line skipped", rep, err)
	}
	eps, err := srv.Admin.Episodes(ctx, api.EpisodeFilter{}, api.ListParams{})
	if err != nil || len(eps.Items) != 2 || eps.Items[1].Title != "Low Tide" || eps.Items[1].Container != "mkv" {
		t.Errorf("episodes = %+v, %v", eps.Items, err)
	}
}

func mustToken(t *testing.T, srv *testserver.Server, login string) string {
	t.Helper()
	s, ok := srv.App.Catalog().SubscriberByLogin(login)
	if !ok {
		t.Fatalf("no subscriber %s in the read model", login)
	}
	return s.Token
}
