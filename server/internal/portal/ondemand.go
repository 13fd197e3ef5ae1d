package portal

import (
	"net/http"
	"strconv"
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
	pg := p.newPage(c)
	d := gridData{Heading: pg.T("Movies"), ID: "movies", Path: "/movies/", Empty: pg.T("Your packages hold no movies."),
		Items: make([]posterItem, 0, len(l.VOD))}
	for _, v := range l.VOD {
		d.Items = append(d.Items, posterItem{ID: v.ID, Title: v.Title, Year: year(v.Year, v.Metadata.ReleaseDate),
			Poster: v.PosterURL})
	}
	pg.Title, pg.Nav, pg.Data = d.Heading, "movies", d
	p.render(c, http.StatusOK, "grid", pg)
}

// movieData fills a movie's page.
type movieData struct {
	ID                                 int64
	Title, Year, Poster, Plot, Runtime string
	Genre, Director, Cast, Rating      string
	Playable                           bool
}

// missing is the 404 page of a title not in the subscriber's packages, in
// the page's language: what is missing and where to pick another.
type missing struct{ title, text, hint string }

// inLineup finds the item of the :id parameter with find in the
// subscriber's line-up, or renders the 404 page made by notFound. An
// unparsable id is as unknown as any other.
func inLineup[T any](p *Portal, c *gin.Context, notFound func(t func(string, ...any) string) missing,
	find func(subscriberview.Lineup, int64) (T, bool)) (current, T, bool) {
	var zero T
	cur, l, ok := p.entitled(c)
	if !ok {
		return cur, zero, false
	}
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	v, found := find(l, id)
	if !found {
		m := notFound(p.newPage(c).T)
		p.problem(c, http.StatusNotFound, m.title, m.text, m.hint)
		return cur, zero, false
	}
	return cur, v, true
}

// movie finds the movie of the :id parameter, or renders the 404 page.
func (p *Portal) movie(c *gin.Context) (current, subscriberview.VOD, bool) {
	return inLineup(p, c, func(t func(string, ...any) string) missing {
		return missing{t("Movie not found"), t("This movie is not in your packages."), t("Pick one from the movies list.")}
	}, subscriberview.Lineup.VODItem)
}

func seriesMissing(t func(string, ...any) string) missing {
	return missing{t("Series not found"), t("This series is not in your packages."), t("Pick one from the series list.")}
}

func (p *Portal) handleMovie(c *gin.Context) {
	_, v, ok := p.movie(c)
	if !ok {
		return
	}
	m := v.Metadata
	pg := p.newPage(c)
	d := movieData{ID: v.ID, Title: v.Title, Year: year(v.Year, m.ReleaseDate), Poster: v.PosterURL,
		Plot: v.Description, Runtime: runtime(pg.T, v.DurationS), Genre: m.Genre, Director: m.Director, Cast: m.Cast,
		Rating: ratingText(v.Rating), Playable: v.StreamName != ""}
	pg.Title, pg.Nav, pg.Data = v.Title, "movies", d
	p.render(c, http.StatusOK, "movie", pg)
}

func (p *Portal) handleMoviePlay(c *gin.Context) {
	cur, v, ok := p.movie(c)
	if !ok {
		return
	}
	back := "/movies/" + strconv.FormatInt(v.ID, 10)
	p.playOnDemand(c, cur, "movies", v.StreamName, v.Title, back, v.Title)
}

func (p *Portal) handleSeriesList(c *gin.Context) {
	_, l, ok := p.entitled(c)
	if !ok {
		return
	}
	pg := p.newPage(c)
	d := gridData{Heading: pg.T("Series"), ID: "series", Path: "/shows/", Empty: pg.T("Your packages hold no series."),
		Items: make([]posterItem, 0, len(l.Series))}
	for _, s := range l.Series {
		d.Items = append(d.Items, posterItem{ID: s.ID, Title: s.Title, Year: year(0, s.Metadata.ReleaseDate),
			Poster: s.CoverURL})
	}
	pg.Title, pg.Nav, pg.Data = d.Heading, "series", d
	p.render(c, http.StatusOK, "grid", pg)
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
	_, s, ok := inLineup(p, c, seriesMissing, subscriberview.Lineup.SeriesItem)
	if !ok {
		return
	}
	pg := p.newPage(c)
	d := showData{Title: s.Title, Year: year(0, s.Metadata.ReleaseDate), Poster: s.CoverURL, Plot: s.Plot,
		Genre: s.Metadata.Genre, Cast: s.Metadata.Cast, Rating: ratingText(s.Rating)}
	for _, z := range s.Seasons {
		si := seasonItem{Number: z.SeasonNumber, Name: z.Name}
		if si.Name == "" {
			si.Name = pg.T("Season %d", z.SeasonNumber)
		}
		for _, e := range z.Episodes {
			if !e.Enabled {
				continue
			}
			si.Episodes = append(si.Episodes, episodeItem{ID: e.ID, Num: e.EpisodeNum, Title: episodeTitle(pg.T, e),
				Plot: e.Plot, Runtime: runtime(pg.T, e.DurationS), Playable: e.StreamName != ""})
		}
		if len(si.Episodes) > 0 {
			d.Seasons = append(d.Seasons, si)
		}
	}
	pg.Title, pg.Nav, pg.Data = s.Title, "series", d
	p.render(c, http.StatusOK, "show", pg)
}

func (p *Portal) handleEpisodePlay(c *gin.Context) {
	cur, e, ok := inLineup(p, c, func(t func(string, ...any) string) missing {
		return missing{t("Episode not found"), t("This episode is not in your packages."), t("Pick one from the series list.")}
	}, subscriberview.Lineup.Episode)
	if !ok {
		return
	}
	name := e.Series.Title + " S" + strconv.Itoa(e.Season.SeasonNumber) + "E" + strconv.Itoa(e.EpisodeNum)
	if e.Title != "" {
		name += " · " + e.Title
	}
	back := "/shows/" + strconv.FormatInt(e.Series.ID, 10)
	p.playOnDemand(c, cur, "series", e.StreamName, name, back, e.Series.Title)
}

// playOnDemand renders the player with the HLS URL of a movie's or
// episode's stream name, the URL xtream's /movie/ and /series/ redirects
// give for .m3u8: the stream's index.m3u8 through the balancer (or the
// stream base), with the subscriber's token; backTo names the page back.
func (p *Portal) playOnDemand(c *gin.Context, cur current, nav, streamName, title, back, backTo string) {
	pg := p.newPage(c)
	if streamName == "" {
		p.problem(c, http.StatusNotFound, pg.T("Not available"),
			pg.T("This title has no video yet."), pg.T("Please try again later or pick another one."))
		return
	}
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, p.deps.StreamBase)
	src, _ := links.Live(subscriberview.Channel{Name: streamName}, cur.sub.Token, playlist.FormatHLS)
	d := playerData{Title: title, Src: src, Label: pg.T("Video of %s", title), Back: back, BackText: pg.T("Back to %s", backTo)}
	pg.Title, pg.Nav, pg.Data = title, nav, d
	p.render(c, http.StatusOK, "player", pg)
}

func episodeTitle(t func(string, ...any) string, e *subscriberview.Episode) string {
	if e.Title != "" {
		return e.Title
	}
	return t("Episode %d", e.EpisodeNum)
}

// runtime formats a duration in seconds as "1 h 30 min", "" when unknown.
func runtime(t func(string, ...any) string, secs int) string {
	if secs <= 0 {
		return ""
	}
	d := time.Duration(secs) * time.Second
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return t("%d min", m)
	case m == 0:
		return t("%d h", h)
	}
	return t("%d h %d min", h, m)
}

// ratingText is a 0–10 rating with one decimal, "" when unrated.
func ratingText(r float64) string {
	if r <= 0 {
		return ""
	}
	return strconv.FormatFloat(r, 'f', 1, 64) + "/10"
}
