package xtream

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// The series wire types follow specs/xtream-series-vod.md §5 and §6 field
// by field: numbers classic XC quoted stay quoted (category_id,
// last_modified, rating, episode_run_time, episode id), the others are
// bare; dates are omitted when unknown except the classic list keys.

type seriesItem struct {
	Num        int    `json:"num"`
	Name       string `json:"name"`
	Title      string `json:"title"`
	Year       string `json:"year"`
	StreamType string `json:"stream_type"`
	SeriesID   int64  `json:"series_id"`
	seriesDetails
}

// seriesDetails are the keys get_series items and get_series_info's info
// share.
type seriesDetails struct {
	Cover            string   `json:"cover"`
	Plot             string   `json:"plot"`
	Cast             string   `json:"cast"`
	Director         string   `json:"director"`
	Genre            string   `json:"genre"`
	ReleaseDateClass string   `json:"releaseDate"`
	ReleaseDate      string   `json:"release_date"`
	LastModified     string   `json:"last_modified"`
	Rating           string   `json:"rating"` // an integer: go.xtream decodes int from the string
	Rating5Based     float64  `json:"rating_5based"`
	BackdropPath     []string `json:"backdrop_path"`
	YoutubeTrailer   string   `json:"youtube_trailer"`
	EpisodeRunTime   string   `json:"episode_run_time"`
	CategoryID       string   `json:"category_id"`
	CategoryIDs      []int64  `json:"category_ids"`
	TMDBID           string   `json:"tmdb_id,omitempty"`
}

type seriesInfoInfo struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Year  string `json:"year"`
	seriesDetails
}

type seriesInfo struct {
	Seasons  []seasonItem             `json:"seasons"`
	Info     *seriesInfoInfo          `json:"info"`
	Episodes map[string][]episodeItem `json:"episodes"`
}

type seasonItem struct {
	AirDate      string `json:"air_date,omitempty"`
	EpisodeCount int    `json:"episode_count"`
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Overview     string `json:"overview"`
	SeasonNumber int    `json:"season_number"`
	Cover        string `json:"cover"`
	CoverBig     string `json:"cover_big"`
}

type episodeItem struct {
	ID                 string      `json:"id"`
	EpisodeNum         int         `json:"episode_num"`
	Title              string      `json:"title"`
	ContainerExtension string      `json:"container_extension"`
	Info               episodeInfo `json:"info"`
	CustomSID          string      `json:"custom_sid"`
	Added              string      `json:"added"`
	Season             int         `json:"season"`
	DirectSource       string      `json:"direct_source"`
}

type episodeInfo struct {
	TMDBID       string `json:"tmdb_id,omitempty"`
	ReleaseDate1 string `json:"releasedate,omitempty"`
	ReleaseDate  string `json:"release_date,omitempty"`
	Plot         string `json:"plot"`
	DurationSecs int    `json:"duration_secs"`
	Duration     string `json:"duration"`
	MovieImage   string `json:"movie_image"`
	CoverBig     string `json:"cover_big"`
	Bitrate      int    `json:"bitrate"`
	Rating       string `json:"rating,omitempty"`
	Season       int    `json:"season"`
	Name         string `json:"name"`
}

// notFoundSeries is the answer for a series_id that is unknown or outside
// the line's packages: the same bytes, so existence does not leak (§6).
var notFoundSeries = []byte(`{"seasons":[],"info":{},"episodes":{}}`)

func seriesCategories(s *session) []category {
	return categories(s.lineup.SeriesCategories, s.active)
}

// seriesList answers get_series, filtered by ?category_id= as the other
// lists are.
func seriesList(l subscriberview.Lineup, cat string) []seriesItem {
	out := make([]seriesItem, 0, len(l.Series))
	want, filter, ok := categoryFilter(cat)
	if !ok {
		return out
	}
	for _, s := range l.Series {
		if filter && s.CategoryID != want {
			continue
		}
		year := yearOf(s.Metadata.ReleaseDate)
		out = append(out, seriesItem{Num: len(out) + 1, Name: withYear(s.Title, year), Title: s.Title, Year: year,
			StreamType: "series", SeriesID: s.ID, seriesDetails: detailsOf(s)})
	}
	return out
}

func detailsOf(s *subscriberview.Series) seriesDetails {
	m := s.Metadata
	backdrops := m.BackdropURLs
	if backdrops == nil {
		backdrops = []string{}
	}
	return seriesDetails{Cover: s.CoverURL, Plot: s.Plot, Cast: m.Cast, Director: m.Director, Genre: m.Genre,
		ReleaseDateClass: m.ReleaseDate, ReleaseDate: m.ReleaseDate,
		LastModified: strconv.FormatInt(s.UpdatedAt.Unix(), 10), Rating: strconv.Itoa(int(math.Round(s.Rating))),
		Rating5Based: rating5(s.Rating), BackdropPath: backdrops, YoutubeTrailer: m.Trailer,
		EpisodeRunTime: strconv.Itoa(s.EpisodeRunTime), CategoryID: strconv.FormatInt(s.CategoryID, 10),
		CategoryIDs: catIDs(s.CategoryID), TMDBID: m.TMDBID}
}

// yearOf is the year of a YYYY-MM-DD date, "" when unknown.
func yearOf(date string) string {
	if len(date) < 4 {
		return ""
	}
	return date[:4]
}

// withYear is the panels' list name, "Title (Year)".
func withYear(title, year string) string {
	if year == "" {
		return title
	}
	return title + " (" + year + ")"
}

// seriesInfoOf answers get_series_info for a series the line may see: one
// season object per season with enabled episodes (Hypnotix lists only
// those), and the episodes keyed by season number as strings, so PHP's
// list-or-object pitfall (§6.4) never arises.
func seriesInfoOf(s *subscriberview.Series) seriesInfo {
	year := yearOf(s.Metadata.ReleaseDate)
	out := seriesInfo{Seasons: []seasonItem{}, Episodes: map[string][]episodeItem{},
		Info: &seriesInfoInfo{Name: withYear(s.Title, year), Title: s.Title, Year: year, seriesDetails: detailsOf(s)}}
	for _, z := range s.Seasons {
		var eps []episodeItem
		for _, e := range z.Episodes {
			if e.Enabled {
				eps = append(eps, episodeOf(s, z, e))
			}
		}
		if len(eps) == 0 {
			continue
		}
		name := z.Name
		switch {
		case name != "":
		case z.SeasonNumber == 0:
			name = "Specials"
		default:
			name = "Season " + strconv.Itoa(z.SeasonNumber)
		}
		out.Seasons = append(out.Seasons, seasonItem{AirDate: z.AirDate, EpisodeCount: len(eps), ID: z.ID, Name: name,
			Overview: z.Overview, SeasonNumber: z.SeasonNumber, Cover: z.CoverURL, CoverBig: z.CoverURL})
		out.Episodes[strconv.Itoa(z.SeasonNumber)] = eps
	}
	return out
}

func episodeOf(s *subscriberview.Series, z *subscriberview.Season, e *subscriberview.Episode) episodeItem {
	title := fmt.Sprintf("%s - S%02dE%02d", s.Title, z.SeasonNumber, e.EpisodeNum)
	if e.Title != "" {
		title += " - " + e.Title
	}
	var rating string
	if e.Rating > 0 {
		rating = strconv.Itoa(int(math.Round(e.Rating)))
	}
	ext := episodeContainer(e)
	return episodeItem{ID: strconv.FormatInt(e.ID, 10), EpisodeNum: e.EpisodeNum, Title: title,
		ContainerExtension: ext, Added: strconv.FormatInt(e.CreatedAt.Unix(), 10), Season: z.SeasonNumber,
		Info: episodeInfo{TMDBID: e.TMDBID, ReleaseDate1: e.ReleaseDate, ReleaseDate: e.ReleaseDate, Plot: e.Plot,
			DurationSecs: e.DurationS, Duration: clock(time.Duration(e.DurationS) * time.Second), MovieImage: e.ImageURL,
			CoverBig: e.ImageURL, Rating: rating, Season: z.SeasonNumber, Name: e.Title}}
}

// seriesInfoBody answers get_series_info&series_id=: the series' info, or
// notFoundSeries for one unknown or outside the line's packages.
func seriesInfoBody(l subscriberview.Lineup, rawID string) any {
	id, err := strconv.ParseInt(rawID, 10, 64)
	x, ok := l.SeriesItem(id)
	if err != nil || !ok {
		return json.RawMessage(notFoundSeries)
	}
	return seriesInfoOf(x)
}

// handleSeries redirects /series/U/P/<episode id>.<ext> to the episode's
// file on the streamers, as handleMovie does for movies.
func (a *API) handleSeries(c *gin.Context) {
	a.redirectOnDemand(c, "no such episode\n", func(l subscriberview.Lineup, id int64) (string, bool) {
		e, ok := l.Episode(id)
		if !ok {
			return "", false
		}
		return e.StreamName, true
	})
}

// episodeContainer is the extension apps put on an episode's URL.
func episodeContainer(e *subscriberview.Episode) string {
	if e.Container == "" {
		return "mp4"
	}
	return e.Container
}
