package stalker_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"canale/shared/api"
)

// vodItem is what a box reads of a VOD list row.
type vodItem struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Year     string `json:"year"`
	IsMovie  int    `json:"is_movie"`
	IsSeries int    `json:"is_series"`
	HasFiles int    `json:"has_files"`
	Series   []int  `json:"series"`
	Cmd      string `json:"cmd"`
}

type vodList struct {
	TotalItems int       `json:"total_items"`
	Data       []vodItem `json:"data"`
}

// TestMAGVideoClub: after its boot a box lists the movies and series of
// its subscriber's packages and nothing else, opens a series' seasons,
// and gets minted links for a movie and an episode on the balancer; an
// item outside the packages is player_file_missing like an unknown one,
// and a movie's link cannot open a live channel.
func TestMAGVideoClub(t *testing.T) {
	p := newPortal(t)
	ctx := t.Context()
	admin := p.srv.Admin
	drama, err := admin.CreateCategory(ctx, api.Category{Kind: "vod", Name: "Drama"})
	if err != nil {
		t.Fatal(err)
	}
	shows, err := admin.CreateCategory(ctx, api.Category{Kind: api.CategorySeries, Name: "Shows"})
	if err != nil {
		t.Fatal(err)
	}
	film, err := admin.CreateVOD(ctx, api.VODCreate{Title: "A Film", StreamName: "vod/films/a-film.mp4", CategoryID: &drama.ID,
		Year: 2019, Rating: 7.5, DurationS: 5400})
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := admin.CreateVOD(ctx, api.VODCreate{Title: "Hidden Film", StreamName: "vod/films/hidden.mp4", CategoryID: &drama.ID})
	if err != nil {
		t.Fatal(err)
	}
	show, err := admin.CreateSeries(ctx, api.SeriesCreate{Title: "A Show", CategoryID: &shows.ID})
	if err != nil {
		t.Fatal(err)
	}
	season, err := admin.CreateSeason(ctx, api.Season{SeriesID: show.ID, SeasonNumber: 2})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 3; n++ {
		if _, err := admin.CreateEpisode(ctx, api.EpisodeCreate{SeasonID: season.ID, EpisodeNum: n,
			Title: "Episode " + strconv.Itoa(n), StreamName: "vod/show/s02e0" + strconv.Itoa(n) + ".mp4"}); err != nil {
			t.Fatal(err)
		}
	}
	films, err := admin.CreatePackage(ctx, api.Package{Name: "Films", VODIDs: []int64{film.ID}, SeriesIDs: []int64{show.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.CreatePackage(ctx, api.Package{Name: "Other", VODIDs: []int64{hidden.ID}}); err != nil {
		t.Fatal(err)
	}
	cs, ok := p.srv.App.Catalog().SubscriberByLogin("alice")
	if !ok || len(cs.PackageIDs) != 1 {
		t.Fatalf("alice in the read model: %+v", cs)
	}
	// Three plays below (a movie by the box and by an XC app, an episode)
	// stay live sessions for a while: room for them.
	p.update(t, "alice", api.SubscriberUpdate{PackageIDs: &[]int64{cs.PackageIDs[0], films.ID}, MaxSessions: ptr(3)})
	set, err := p.srv.Store.FindSettings(ctx, api.SystemActor("test"))
	if err != nil {
		t.Fatal(err)
	}
	storages := []api.VODStorage{{Prefix: "vod", Streamers: []string{"e1"}}}
	if _, err := p.srv.Store.UpdateSettings(ctx, api.SystemActor("test"), api.SettingsUpdate{VODStorages: &storages,
		Version: set.Version}); err != nil {
		t.Fatal(err)
	}
	p.reload(t)
	p.device(t, "alice", aliceMAC, false)
	b := newBox(t, p.srv.URL, aliceMAC)
	if pr := b.boot(); pr.Status != 0 {
		t.Fatalf("boot: %+v", pr)
	}

	var cats []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	b.js(&cats, "vod", "get_categories")
	if len(cats) != 2 || cats[0].ID != "*" || cats[1].Title != "Drama" {
		t.Errorf("vod categories %+v, want All and Drama", cats)
	}
	var movies vodList
	b.js(&movies, "vod", "get_ordered_list", "category", "*", "sortby", "added", "p", "1")
	if movies.TotalItems != 1 || len(movies.Data) != 1 || movies.Data[0].Name != "A Film" || movies.Data[0].IsMovie != 1 ||
		movies.Data[0].Year != "2019" {
		t.Fatalf("vod list %+v, want A Film alone", movies)
	}
	var none vodList
	b.js(&none, "vod", "get_ordered_list", "category", strconv.FormatInt(drama.ID, 10), "search", "hidden")
	if none.TotalItems != 0 {
		t.Errorf("search for the hidden film found %+v", none)
	}

	var l link
	b.js(&l, "vod", "create_link", "cmd", movies.Data[0].Cmd, "series", "", "forced_storage", "", "disable_ad", "0", "download", "0")
	if l.Error != "" || l.ID != film.ID || !strings.HasPrefix(l.url(), p.srv.URL+"/vod/films/a-film.mp4?token=m1.") {
		t.Fatalf("movie create_link = %+v, want the film on the balancer with a minted token", l)
	}
	// The link plays: the balancer sends it to the edge's VOD location,
	// whose auth call play authorization answers for this file; the same
	// token asked for another file of the location is refused.
	if status := play(t, redirectTo(t, l.url(), p.sim.URL()+"/vod/films/a-film.mp4?token=m1.")); status != http.StatusOK {
		t.Fatalf("the edge answered %d to the movie's minted link, want 200 (play authorization allow)", status)
	}
	token := strings.SplitN(l.url(), "token=", 2)[1]
	if status := play(t, p.sim.URL()+"/vod/films/hidden.mp4?token="+url.QueryEscape(token)); status != http.StatusForbidden {
		t.Errorf("the movie's link opened another file: %d, want 403", status)
	}
	// An XC app of the same subscriber plays the same file with its own
	// token, through the same authorization.
	xc := fmt.Sprintf("%s/movie/alice/%s/%d.mp4", p.srv.URL, password, film.ID)
	balanced := redirectTo(t, xc, p.srv.URL+"/vod/films/a-film.mp4?token=tok-alice")
	if status := play(t, redirectTo(t, balanced, p.sim.URL()+"/vod/films/a-film.mp4?token=tok-alice")); status != http.StatusOK {
		t.Fatalf("the edge answered %d to the XC movie URL, want 200", status)
	}
	if status := play(t, p.sim.URL()+"/ch01/mpegts?token="+url.QueryEscape(token)); status == http.StatusOK {
		t.Errorf("a movie's link opened live channel ch01")
	}
	b.js(&l, "vod", "create_link", "cmd", "not-base64!")
	if l.Error != "player_file_missing" {
		t.Errorf("create_link of a garbled cmd = %+v", l)
	}

	var series vodList
	b.js(&series, "series", "get_ordered_list", "category", "*", "p", "1")
	if series.TotalItems != 1 || series.Data[0].Name != "A Show" || series.Data[0].IsSeries != 1 || series.Data[0].HasFiles != 1 {
		t.Fatalf("series list %+v, want A Show opening its seasons", series)
	}
	var seasons vodList
	b.js(&seasons, "series", "get_ordered_list", "movie_id", series.Data[0].ID, "p", "1")
	if seasons.TotalItems != 1 || seasons.Data[0].Name != "Season 2" || len(seasons.Data[0].Series) != 3 {
		t.Fatalf("seasons %+v, want Season 2 with episodes 1-3", seasons)
	}
	b.js(&l, "series", "create_link", "cmd", seasons.Data[0].Cmd, "series", "3")
	if l.Error != "" || !strings.HasPrefix(l.url(), p.srv.URL+"/vod/show/s02e03.mp4?token=m1.") {
		t.Fatalf("episode create_link = %+v, want episode 3 with a minted token", l)
	}
	if status := play(t, redirectTo(t, l.url(), p.sim.URL()+"/vod/show/s02e03.mp4?token=m1.")); status != http.StatusOK {
		t.Fatalf("the edge answered %d to the episode's minted link, want 200", status)
	}
	b.js(&l, "series", "create_link", "cmd", seasons.Data[0].Cmd, "series", "9")
	if l.Error != "player_file_missing" {
		t.Errorf("create_link of a missing episode = %+v", l)
	}

	// The hidden film's cmd, forged from its id, is missing like an
	// unknown one; the real film's, forged the same way, plays.
	b.js(&l, "vod", "create_link", "cmd", movieCmd(hidden.ID))
	if l.Error != "player_file_missing" || l.Cmd != "" {
		t.Errorf("create_link of a film outside the packages = %+v", l)
	}
	b.js(&l, "vod", "create_link", "cmd", movieCmd(999999))
	if l.Error != "player_file_missing" || l.Cmd != "" {
		t.Errorf("create_link of an unknown film = %+v", l)
	}
	b.js(&l, "vod", "create_link", "cmd", movieCmd(film.ID))
	if l.Error != "" || l.ID != film.ID {
		t.Errorf("create_link of the film by a forged cmd = %+v", l)
	}
}

// redirectTo follows one 302, which must lead to an URL starting with
// prefix, and returns that URL.
func redirectTo(t *testing.T, u, prefix string) string {
	t.Helper()
	loc := redirect(t, u)
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("GET %s: 302 to %q, want %s…", u, loc, prefix)
	}
	return loc
}

// movieCmd is a movie row's cmd as XC_VM writes it.
func movieCmd(id int64) string {
	b, _ := json.Marshal(map[string]any{"type": "movie", "stream_id": id, "target_container": "mp4"})
	return base64.StdEncoding.EncodeToString(b)
}
