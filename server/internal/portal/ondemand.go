package portal

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
)

// The movies and series pages list only what the subscriber's line-up
// holds, the same subscriberview.Lineup the XC API filters with, so the
// portal never shows a title an app would refuse. An id outside the
// packages gets the same 404 as an unknown one, so existence does not leak.

// posterItem is one tile of the movies or series grid.
type posterItem struct {
	ID          int64
	Title, Year string
	Poster      string
}

// gridData fills the one poster grid template of movies and series:
// Heading, ID the list's element id, Path the items' link prefix, Empty
// what to say when the packages hold none.
type gridData struct {
	Heading, ID, Path, Empty string
	Items                    []posterItem
}

// year is the release year to show: the VOD's year, else the year of a
// YYYY-MM-DD release date, else "".
func year(y int, releaseDate string) string {
	if y > 0 {
		return strconv.Itoa(y)
	}
	if len(releaseDate) >= 4 {
		return releaseDate[:4]
	}
	return ""
}

func (p *Portal) handleMovies(c *gin.Context) {
	_, l, ok := p.entitled(c)
	if !ok {
		return
	}
	d := gridData{Heading: "Movies", ID: "movies", Path: "/movies/", Empty: "Your packages hold no movies.",
		Items: make([]posterItem, 0, len(l.VOD))}
	for _, v := range l.VOD {
		d.Items = append(d.Items, posterItem{ID: v.ID, Title: v.Title, Year: year(v.Year, v.Metadata.ReleaseDate),
			Poster: v.PosterURL})
	}
	p.render(c, http.StatusOK, "grid", page{Title: "Movies", Nav: "movies", Data: d})
}

// movieData fills a movie's page.
type movieData struct {
	ID                                 int64
	Title, Year, Poster, Plot, Runtime string
	Genre, Director, Cast, Rating      string
	Playable                           bool
}

// inLineup finds the item of the :id parameter with find in the
// subscriber's line-up, or renders the 404 page naming what and where to
// pick another. An unparsable id is as unknown as any other.
func inLineup[T any](p *Portal, c *gin.Context, what, list string,
	find func(subscriberview.Lineup, int64) (T, bool)) (current, T, bool) {
	var zero T
	cur, l, ok := p.entitled(c)
	if !ok {
		return cur, zero, false
	}
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	v, found := find(l, id)
	if !found {
		p.problem(c, http.StatusNotFound, strings.ToUpper(what[:1])+what[1:]+" not found",
			"This "+what+" is not in your packages.", "Pick one from the "+list+".")
		return cur, zero, false
	}
	return cur, v, true
}

// movie finds the movie of the :id parameter, or renders the 404 page.
func (p *Portal) movie(c *gin.Context) (current, subscriberview.VOD, bool) {
	return inLineup(p, c, "movie", "movies list", subscriberview.Lineup.VODItem)
}

func (p *Portal) handleMovie(c *gin.Context) {
	_, v, ok := p.movie(c)
	if !ok {
		return
	}
	m := v.Metadata
	d := movieData{ID: v.ID, Title: v.Title, Year: year(v.Year, m.ReleaseDate), Poster: v.PosterURL,
		Plot: v.Description, Runtime: runtime(v.DurationS), Genre: m.Genre, Director: m.Director, Cast: m.Cast,
		Rating: ratingText(v.Rating), Playable: v.StreamName != ""}
	p.render(c, http.StatusOK, "movie", page{Title: v.Title, Nav: "movies", Data: d})
}

func (p *Portal) handleMoviePlay(c *gin.Context) {
	cur, v, ok := p.movie(c)
	if !ok {
		return
	}
	back := "/movies/" + strconv.FormatInt(v.ID, 10)
	p.playOnDemand(c, cur, "movies", v.StreamName, v.Title, back, "Back to "+v.Title)
}

func (p *Portal) handleSeriesList(c *gin.Context) {
	_, l, ok := p.entitled(c)
	if !ok {
		return
	}
	d := gridData{Heading: "Series", ID: "series", Path: "/shows/", Empty: "Your packages hold no series.",
		Items: make([]posterItem, 0, len(l.Series))}
	for _, s := range l.Series {
		d.Items = append(d.Items, posterItem{ID: s.ID, Title: s.Title, Year: year(0, s.Metadata.ReleaseDate),
			Poster: s.CoverURL})
	}
	p.render(c, http.StatusOK, "grid", page{Title: "Series", Nav: "series", Data: d})
}

type episodeItem struct {
	ID                   int64
	Num                  int
	Title, Plot, Runtime string
	Playable             bool
}

type seasonItem struct {
	Number   int
	Name     string
	Episodes []episodeItem
}

// showData fills a series' page: its metadata and its seasons, each with
// the enabled episodes only, as get_series_info lists them.
type showData struct {
	Title, Year, Poster, Plot, Genre, Cast, Rating string
	Seasons                                        []seasonItem
}

func (p *Portal) handleShow(c *gin.Context) {
	_, s, ok := inLineup(p, c, "series", "series list", subscriberview.Lineup.SeriesItem)
	if !ok {
		return
	}
	d := showData{Title: s.Title, Year: year(0, s.Metadata.ReleaseDate), Poster: s.CoverURL, Plot: s.Plot,
		Genre: s.Metadata.Genre, Cast: s.Metadata.Cast, Rating: ratingText(s.Rating)}
	for _, z := range s.Seasons {
		si := seasonItem{Number: z.SeasonNumber, Name: z.Name}
		if si.Name == "" {
			si.Name = "Season " + strconv.Itoa(z.SeasonNumber)
		}
		for _, e := range z.Episodes {
			if !e.Enabled {
				continue
			}
			si.Episodes = append(si.Episodes, episodeItem{ID: e.ID, Num: e.EpisodeNum, Title: episodeTitle(e),
				Plot: e.Plot, Runtime: runtime(e.DurationS), Playable: e.StreamName != ""})
		}
		if len(si.Episodes) > 0 {
			d.Seasons = append(d.Seasons, si)
		}
	}
	p.render(c, http.StatusOK, "show", page{Title: s.Title, Nav: "series", Data: d})
}

func (p *Portal) handleEpisodePlay(c *gin.Context) {
	cur, e, ok := inLineup(p, c, "episode", "series list", subscriberview.Lineup.Episode)
	if !ok {
		return
	}
	name := e.Series.Title + " S" + strconv.Itoa(e.Season.SeasonNumber) + "E" + strconv.Itoa(e.EpisodeNum)
	if e.Title != "" {
		name += " · " + e.Title
	}
	back := "/shows/" + strconv.FormatInt(e.Series.ID, 10)
	p.playOnDemand(c, cur, "series", e.StreamName, name, back, "Back to "+e.Series.Title)
}

// playOnDemand renders the player with the HLS URL of a movie's or
// episode's stream name, the URL xtream's /movie/ and /series/ redirects
// give for .m3u8: the stream's index.m3u8 through the balancer (or the
// stream base), with the subscriber's token.
func (p *Portal) playOnDemand(c *gin.Context, cur current, nav, streamName, title, back, backText string) {
	if streamName == "" {
		p.problem(c, http.StatusNotFound, "Not available",
			"This title has no video yet.", "Please try again later or pick another one.")
		return
	}
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, p.deps.StreamBase)
	src, _ := links.Live(subscriberview.Channel{Name: streamName}, cur.sub.Token, playlist.FormatHLS)
	d := playerData{Title: title, Src: src, Label: "Video of " + title, Back: back, BackText: backText}
	p.render(c, http.StatusOK, "player", page{Title: title, Nav: nav, Data: d})
}

func episodeTitle(e *subscriberview.Episode) string {
	if e.Title != "" {
		return e.Title
	}
	return "Episode " + strconv.Itoa(e.EpisodeNum)
}

// runtime formats a duration in seconds as "1 h 30 min", "" when unknown.
func runtime(secs int) string {
	if secs <= 0 {
		return ""
	}
	d := time.Duration(secs) * time.Second
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return strconv.Itoa(m) + " min"
	case m == 0:
		return strconv.Itoa(h) + " h"
	}
	return strconv.Itoa(h) + " h " + strconv.Itoa(m) + " min"
}

// ratingText is a 0–10 rating with one decimal, "" when unrated.
func ratingText(r float64) string {
	if r <= 0 {
		return ""
	}
	return strconv.FormatFloat(r, 'f', 1, 64) + "/10"
}
