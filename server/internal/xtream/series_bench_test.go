package xtream_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/httpserver"
	"canale/server/internal/store"
	"canale/server/internal/subscriberview"
	"canale/server/internal/xtream"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// benchSeriesEngine is the XC API over n in-memory series of seasons ×
// episodes each, plus extra routes on the same engine.
func benchSeriesEngine(b *testing.B, n, seasons, episodes int, extra func(r *gin.RouterGroup)) http.Handler {
	h, err := credential.HashPassword(password)
	if err != nil {
		b.Fatal(err)
	}
	l := subscriberview.Lineup{SeriesCategories: []subscriberview.Category{{ID: 20, Name: "Drama"}, {ID: 21, Name: "Kids"}}}
	for i := 1; i <= n; i++ {
		s := &subscriberview.Series{ID: int64(i), Title: fmt.Sprintf("Series %05d", i), CategoryID: int64(20 + i%2),
			CoverURL: fmt.Sprintf("https://img.example.net/s/%d.jpg", i), Plot: "A port town keeps its secrets.",
			Rating: 7.5, EpisodeRunTime: 45, Enabled: true, UpdatedAt: added,
			Metadata: api.Metadata{Cast: "D. Actor, E. Actor", Director: "F. Director", Genre: "Drama, Crime",
				ReleaseDate: "2021-09-10", BackdropURLs: []string{fmt.Sprintf("https://img.example.net/b/%d.jpg", i)}}}
		for z := 1; z <= seasons; z++ {
			season := &subscriberview.Season{ID: int64(i*100 + z), SeasonNumber: z, AirDate: "2021-09-10",
				CoverURL: "https://img.example.net/z.jpg"}
			for e := 1; e <= episodes; e++ {
				season.Episodes = append(season.Episodes, &subscriberview.Episode{ReadEpisode: store.ReadEpisode{
					ID: int64(i*10000 + z*100 + e), EpisodeNum: e, Title: fmt.Sprintf("Episode %d", e),
					StreamName: "vod/x.mp4", Container: "mp4", Plot: "Something happens.", DurationS: 2700, Rating: 7,
					ImageURL: "https://img.example.net/e.jpg", Enabled: true, CreatedAt: added}, Series: s, Season: season})
			}
			s.Seasons = append(s.Seasons, season)
		}
		l.Series = append(l.Series, s)
	}
	dir := subscriberview.NewStatic([]subscriberview.Subscriber{{ID: 1, Login: "alice", PasswordHash: h,
		Token: "tok-alice", Status: "active"}}, l, nil)
	x := xtream.New(xtream.Deps{Auth: subscriberview.NewAuthenticator(dir, subscriberview.AuthOptions{}), Directory: dir,
		Logger: slog.New(slog.DiscardHandler), ExternalURL: "https://tv.example.net", Now: func() time.Time { return now }})
	return httpserver.New(httpserver.Options{Logger: slog.New(slog.DiscardHandler), Registry: httpserver.NewRegistry(),
		Mounts: []httpserver.Mount{{Prefix: "", Surface: x}, {Prefix: "", Surface: surfaceFunc(extra)}}})
}

const (
	seriesPath     = "/player_api.php?username=alice&password=" + password + "&action=get_series"
	seriesInfoPath = "/player_api.php?username=alice&password=" + password + "&action=get_series_info&series_id=1"
)

// sameBytes serves, through an engine built by mk, the body path answers.
func sameBytes(b *testing.B, mk func(extra func(*gin.RouterGroup)) http.Handler, path string) {
	w := httptest.NewRecorder()
	mk(func(*gin.RouterGroup) {}).ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	if w.Code != http.StatusOK || w.Body.Len() < 1000 {
		b.Fatalf("%s: %d, %d bytes", path, w.Code, w.Body.Len())
	}
	body := bytes.Clone(w.Body.Bytes())
	serveBench(b, mk(func(r *gin.RouterGroup) {
		r.GET("/same.php", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", body) })
	}), "/same.php")
}

func series2000(b *testing.B) func(func(*gin.RouterGroup)) http.Handler {
	return func(extra func(*gin.RouterGroup)) http.Handler { return benchSeriesEngine(b, 2000, 2, 5, extra) }
}

func tenSeasons(b *testing.B) func(func(*gin.RouterGroup)) http.Handler {
	return func(extra func(*gin.RouterGroup)) http.Handler { return benchSeriesEngine(b, 1, 10, 12, extra) }
}

// BenchmarkXCSeries2000 answers get_series for 2,000 series, credentials
// checked on every request as XC clients send them.
func BenchmarkXCSeries2000(b *testing.B) {
	serveBench(b, series2000(b)(func(*gin.RouterGroup) {}), seriesPath)
}

// BenchmarkServeSameBytesXCSeries2000 serves the same JSON from memory
// through the same engine and middleware.
func BenchmarkServeSameBytesXCSeries2000(b *testing.B) { sameBytes(b, series2000(b), seriesPath) }

// BenchmarkXCSeriesInfo10Seasons answers get_series_info for a show of 10
// seasons of 12 episodes.
func BenchmarkXCSeriesInfo10Seasons(b *testing.B) {
	serveBench(b, tenSeasons(b)(func(*gin.RouterGroup) {}), seriesInfoPath)
}

// BenchmarkServeSameBytesXCSeriesInfo10Seasons serves the same JSON from
// memory through the same engine and middleware.
func BenchmarkServeSameBytesXCSeriesInfo10Seasons(b *testing.B) {
	sameBytes(b, tenSeasons(b), seriesInfoPath)
}
