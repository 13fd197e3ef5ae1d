package xtream

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// The get_vod_info wire types follow specs/xtream-series-vod.md §4: info is
// always an object for a movie the line may see; dates are omitted when
// unknown; video and audio (ffprobe objects) are omitted, as
// Canale does not probe files and "[]" breaks go.xtream-codes.

type movieInfoBody struct {
	Info      movieInfoInfo `json:"info"`
	MovieData movieData     `json:"movie_data"`
}

type movieInfoInfo struct {
	Name           string   `json:"name"`
	OName          string   `json:"o_name"`
	CoverBig       string   `json:"cover_big"`
	MovieImage     string   `json:"movie_image"`
	ReleaseDate1   string   `json:"releasedate"` // XStreamity and XKlass read it unguarded
	ReleaseDate    string   `json:"release_date,omitempty"`
	Year           string   `json:"year"`
	YoutubeTrailer string   `json:"youtube_trailer"`
	Director       string   `json:"director"`
	Actors         string   `json:"actors"`
	Cast           string   `json:"cast"`
	Description    string   `json:"description"`
	Plot           string   `json:"plot"`
	Genre          string   `json:"genre"`
	Rating         string   `json:"rating"`
	TMDBID         string   `json:"tmdb_id"` // "" when unknown: @iptv/xtream-api calls tmdb_id.toString()
	BackdropPath   []string `json:"backdrop_path"`
	DurationSecs   int      `json:"duration_secs"`
	Duration       string   `json:"duration"`
	Bitrate        int      `json:"bitrate"`
	// Stream details panels probe with ffprobe; Canale does not probe, but
	// Enigma2 plugins index them unguarded, so they are empty objects.
	Video map[string]any `json:"video"`
	Audio map[string]any `json:"audio"`
}

type movieData struct {
	StreamID           int64   `json:"stream_id"`
	Name               string  `json:"name"`
	Title              string  `json:"title"`
	Year               string  `json:"year"`
	Added              string  `json:"added"`
	CategoryID         string  `json:"category_id"`
	CategoryIDs        []int64 `json:"category_ids"`
	ContainerExtension string  `json:"container_extension"`
	CustomSID          string  `json:"custom_sid"`
	DirectSource       string  `json:"direct_source"`
}

// notFoundVOD is the answer for a vod_id that is unknown or outside the
// line's packages (§4): the same bytes, so existence does not leak.
var notFoundVOD = []byte(`{"info":[]}`)

// movieYear is the movie's year: its own, else its release date's.
func movieYear(v subscriberview.VOD) string {
	if v.Year != 0 {
		return strconv.Itoa(v.Year)
	}
	return yearOf(v.Metadata.ReleaseDate)
}

// movieInfo answers get_vod_info&vod_id=.
func (a *API) movieInfo(c *gin.Context, s *session) {
	id, err := strconv.ParseInt(param(c, "vod_id"), 10, 64)
	v, ok := s.lineup.VODItem(id)
	if err != nil || !ok {
		c.Data(http.StatusOK, "application/json", notFoundVOD)
		return
	}
	writeJSON(c, movieInfoOf(v))
}

func movieInfoOf(v subscriberview.VOD) movieInfoBody {
	m, year := v.Metadata, movieYear(v)
	oname := v.OriginalTitle
	if oname == "" {
		oname = v.Title
	}
	backdrops := m.BackdropURLs
	if backdrops == nil {
		backdrops = []string{}
	}
	return movieInfoBody{
		Info: movieInfoInfo{Name: v.Title, OName: oname, CoverBig: v.PosterURL, MovieImage: v.PosterURL,
			ReleaseDate1: m.ReleaseDate, ReleaseDate: m.ReleaseDate, Year: year, YoutubeTrailer: m.Trailer,
			Director: m.Director, Actors: m.Cast, Cast: m.Cast, Description: v.Description, Plot: v.Description,
			Genre: m.Genre, Rating: rating(v.Rating), TMDBID: m.TMDBID, BackdropPath: backdrops,
			DurationSecs: v.DurationS, Duration: clock(time.Duration(v.DurationS) * time.Second),
			Video: map[string]any{}, Audio: map[string]any{}},
		MovieData: movieData{StreamID: v.ID, Name: withYear(v.Title, year), Title: v.Title, Year: year,
			Added: strconv.FormatInt(v.Added.Unix(), 10), CategoryID: strconv.FormatInt(v.CategoryID, 10),
			CategoryIDs: catIDs(v.CategoryID), ContainerExtension: container(v)},
	}
}

// rating5 is the panels' rating_5based: the 0–10 rating halved, one decimal.
func rating5(r float64) float64 { return math.Round(r*5) / 10 }

// handleMovie redirects /movie/U/P/ID.EXT to the movie's file on the
// streamers.
func (a *API) handleMovie(c *gin.Context) {
	a.redirectOnDemand(c, "no such movie\n", func(l subscriberview.Lineup, id int64) (string, bool) {
		v, ok := l.VODItem(id)
		return v.StreamName, ok
	})
}

// redirectOnDemand answers /movie/ and /series/: find gives the stream name
// of an id the line may watch. An id outside the line's packages gets the
// same 404 as an unknown one, so existence does not leak.
func (a *API) redirectOnDemand(c *gin.Context, notFound string, find func(subscriberview.Lineup, int64) (string, bool)) {
	s, ok := a.streamSession(c)
	if !ok {
		return
	}
	id, ext, ok := splitFile(c.Param("file"))
	name, found := find(s.lineup, id)
	if !ok || !found || name == "" {
		c.String(http.StatusNotFound, notFound)
		return
	}
	a.redirectVOD(c, s, name, ext)
}

// redirectVOD sends a player to a movie's or episode's file through the
// balancer: HLS for .m3u8, else the stream name as a file path (Flussonic
// VOD locations serve files by name, with ranges, so players can seek).
func (a *API) redirectVOD(c *gin.Context, s session, streamName, ext string) {
	ch := subscriberview.Channel{Name: streamName}
	if ext == "m3u8" {
		live, _ := s.links.Live(ch, s.sub.Token, playlist.FormatHLS)
		c.Redirect(http.StatusFound, live)
		return
	}
	live, _ := s.links.Live(ch, s.sub.Token, playlist.FormatTS)
	c.Redirect(http.StatusFound, strings.Replace(live, "/mpegts?", "?", 1))
}
