package portal_test

import (
	"net/http"
	"strings"
	"testing"

	"canale/server/internal/subscriberview/viewtest"
)

// onDemandSQL adds to viewtest's fixture: a series "Show One" (two seasons,
// one disabled episode) in alice's package "Basic"; a package "Premium"
// held by bob alone with movie 2 "Other Film" and series 2 "Hidden Show".
var onDemandSQL = []string{
	`INSERT INTO categories (id, kind, name, position) VALUES (5, 'series', 'Drama', 1)`,
	`UPDATE vod SET poster_url = 'https://img.example/film1.jpg', director = 'Dee Rector', genre = 'Drama' WHERE id = 1`,
	`INSERT INTO vod (id, title, stream_name, container, category_id, description, year, created_at)
		VALUES (2, 'Other Film', 'film2', 'mkv', 3, 'Not for alice.', 2010, '2024-01-02T03:04:05Z')`,
	`INSERT INTO series (id, title, category_id, cover_url, plot, release_date, rating) VALUES
		(1, 'Show One', 5, 'https://img.example/show1.jpg', 'Two seasons of drama.', '2019-05-01', 8),
		(2, 'Hidden Show', 5, '', 'Not for alice.', NULL, 0)`,
	`INSERT INTO series_seasons (id, series_id, season_number, name) VALUES (1, 1, 1, ''), (2, 1, 2, 'The Return'), (3, 2, 1, '')`,
	`INSERT INTO series_episodes (id, season_id, episode_num, title, stream_name, plot, duration_s, enabled) VALUES
		(201, 1, 1, 'Pilot', 'show1-s1e1', 'It begins.', 2700, true),
		(202, 1, 2, 'Unaired', 'show1-s1e2', '', 0, false),
		(203, 2, 1, 'Back Again', 'show1-s2e1', '', 3600, true),
		(301, 3, 1, 'Secret', 'show2-s1e1', '', 0, true)`,
	`INSERT INTO packages (id, name, price, currency) VALUES (2, 'Premium', 5, 'EUR')`,
	`INSERT INTO package_vod (package_id, vod_id) VALUES (2, 2)`,
	`INSERT INTO package_series (package_id, series_id) VALUES (1, 1), (2, 2)`,
	`INSERT INTO subscriber_packages (subscriber_id, package_id) VALUES (2, 2)`,
}

// TestMoviesAndSeriesPages: the pages list what the subscriber's packages
// hold and nothing else, and another subscriber's movie, series or episode
// answers 404 like an unknown one.
func TestMoviesAndSeriesPages(t *testing.T) {
	t.Parallel()
	e := start(t, "http://edge.example", onDemandSQL...)
	alice := client(t)
	signIn(t, e, alice, "alice", viewtest.Password)
	bob := client(t)
	signIn(t, e, bob, "bob", viewtest.Password)

	page := func(c *http.Client, path string, status int, want, wantNot []string) {
		t.Helper()
		res, body := get(t, c, e.url+path)
		if res.StatusCode != status {
			t.Fatalf("GET %s: status %d, want %d:\n%s", path, res.StatusCode, status, body)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q:\n%s", path, w, body)
			}
		}
		for _, w := range wantNot {
			if strings.Contains(body, w) {
				t.Errorf("GET %s shows %q, outside the packages:\n%s", path, w, body)
			}
		}
	}

	page(alice, "/channels", http.StatusOK, []string{`href="/movies"`, `href="/shows"`}, nil)
	page(alice, "/movies", http.StatusOK,
		[]string{`href="/movies/1"`, "Film", "2001", `src="https://img.example/film1.jpg"`, `aria-current="page">Movies`},
		[]string{"Other Film", `/movies/2"`})
	page(alice, "/movies/1", http.StatusOK,
		[]string{"A film.", "1 h 30 min", "Dee Rector", "7.5/10", `href="/movies/1/play"`}, nil)
	page(alice, "/movies/1/play", http.StatusOK,
		[]string{`data-src="http://edge.example/film1/index.m3u8?token=tok-alice"`, `href="/movies/1"`}, nil)
	page(alice, "/shows", http.StatusOK, []string{`href="/shows/1"`, "Show One", "2019"},
		[]string{"Hidden Show", `/shows/2"`})
	page(alice, "/shows/1", http.StatusOK,
		[]string{"Two seasons of drama.", "Season 1", "The Return", "Pilot", "45 min", `href="/episodes/201/play"`,
			"Back Again", `href="/episodes/203/play"`},
		[]string{"Unaired", "/episodes/202/"})
	page(alice, "/episodes/203/play", http.StatusOK,
		[]string{`data-src="http://edge.example/show1-s2e1/index.m3u8?token=tok-alice"`, "Show One S2E1", `href="/shows/1"`}, nil)

	// Outside alice's packages, disabled, or unknown: one 404 for all.
	for _, path := range []string{"/movies/2", "/movies/2/play", "/movies/999", "/shows/2", "/episodes/301/play",
		"/episodes/202/play", "/episodes/1/play", "/movies/x"} {
		page(alice, path, http.StatusNotFound, nil, []string{"Other Film", "Hidden Show", "Secret", "film2", "show2"})
	}

	// Bob holds Premium: the other way round.
	page(bob, "/movies", http.StatusOK, []string{"Other Film"}, []string{`href="/movies/1"`})
	page(bob, "/movies/2/play", http.StatusOK, []string{`data-src="http://edge.example/film2/index.m3u8?token=tok-bob"`}, nil)
	page(bob, "/movies/1", http.StatusNotFound, nil, []string{"A film."})
	page(bob, "/shows", http.StatusOK, []string{"Hidden Show"}, []string{"Show One"})
	page(bob, "/episodes/201/play", http.StatusNotFound, nil, []string{"show1"})
}

// TestMoviesPageRefusesExpired: an expired subscriber is told so on the
// movies pages too, not shown an empty list or a playable URL.
func TestMoviesPageRefusesExpired(t *testing.T) {
	t.Parallel()
	e := start(t, "http://edge.example", append(onDemandSQL,
		`UPDATE subscribers SET expires_at = '2020-01-01T00:00:00Z' WHERE login = 'alice'`)...)
	c := client(t)
	signIn(t, e, c, "alice", viewtest.Password)
	for _, path := range []string{"/movies", "/movies/1/play", "/shows/1", "/episodes/201/play"} {
		res, body := get(t, c, e.url+path)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Subscription expired") {
			t.Errorf("GET %s when expired: status %d, want 403 saying so:\n%s", path, res.StatusCode, body)
		}
		if strings.Contains(body, "index.m3u8") {
			t.Errorf("GET %s when expired shows a stream URL", path)
		}
	}
}
