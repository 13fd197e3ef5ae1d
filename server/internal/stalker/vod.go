package stalker

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/playauth"
	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"
)

// The VOD modules (spec §11; their actions are in actions.go): "vod"
// lists the movies and "series" the series of the subscriber's packages,
// from the same line-up the Xtream API serves them from, so a box sees
// exactly what an XC app of the same subscriber sees. A series row opens
// its seasons (movie_id=<series id>), and a season row plays an episode by
// number (create_link's series=N).

// vodItem is one row of a VOD list (§11.2): a movie, a series or a season.
type vodItem struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	OName         string `json:"o_name"`
	Description   string `json:"description"`
	Director      string `json:"director"`
	Actors        string `json:"actors"`
	Year          string `json:"year"`
	GenresStr     string `json:"genres_str"`
	Age           string `json:"age"`
	Time          int    `json:"time"`
	RatingIMDB    string `json:"rating_imdb"`
	ScreenshotURI string `json:"screenshot_uri"`
	CategoryID    string `json:"category_id"`
	Censored      int    `json:"censored"`
	Lock          int    `json:"lock"`
	HD            int    `json:"hd"`
	Fav           int    `json:"fav"`
	ForRent       int    `json:"for_rent"`
	IsSeries      int    `json:"is_series"`
	IsMovie       int    `json:"is_movie"`
	Series        []int  `json:"series"`
	HasFiles      int    `json:"has_files"`
	Cmd           string `json:"cmd"`
	Added         string `json:"added"`
	Today         string `json:"today,omitempty"`
	Yesterday     string `json:"yesterday,omitempty"`
	WeekAndMore   string `json:"week_and_more,omitempty"`
}

// vodCmd is an item's opaque cmd, XC_VM's form: base64 of this JSON.
type vodCmd struct {
	Type            string `json:"type"`                       // "movie" or "series"
	StreamID        int64  `json:"stream_id,omitempty"`        // a movie
	TargetContainer string `json:"target_container,omitempty"` // a movie's file type
	SeriesID        int64  `json:"series_id,omitempty"`        // a season row
	SeasonNum       int    `json:"season_num,omitempty"`
}

func (c vodCmd) String() string {
	b, _ := json.Marshal(c)
	return base64.StdEncoding.EncodeToString(b)
}

// parseVODCmd reads an item's cmd back; ok is false for anything else.
func parseVODCmd(s string) (vodCmd, bool) {
	var c vodCmd
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || json.Unmarshal(b, &c) != nil {
		return vodCmd{}, false
	}
	return c, true
}

// vodCategories is "All" and cats (§11.1).
func vodCategories(cats []subscriberview.Category) []map[string]any {
	out := []map[string]any{{"id": "*", "title": "All", "alias": "*", "censored": 0}}
	for _, c := range cats {
		out = append(out, map[string]any{"id": strconv.FormatInt(c.ID, 10), "title": c.Name,
			"alias": strings.ToLower(c.Name), "censored": 0})
	}
	return out
}

func (a *API) vodCategories(_ *request, s *session) (any, error) {
	return vodCategories(s.lineup.VODCategories), nil
}

func (a *API) seriesCategories(_ *request, s *session) (any, error) {
	return vodCategories(s.lineup.SeriesCategories), nil
}

// vodGenres has only "all": Canale's genres are the categories.
func vodGenres(*API, *request, *session) (any, error) {
	return []map[string]string{{"id": "*", "title": "*"}}, nil
}

// vodYears lists the years of the subscriber's movies, newest first.
func vodYears(_ *API, _ *request, s *session) (any, error) {
	var years []int
	for _, v := range s.lineup.VOD {
		if v.Year > 0 && !slices.Contains(years, v.Year) {
			years = append(years, v.Year)
		}
	}
	slices.SortFunc(years, func(x, y int) int { return y - x })
	out := []map[string]string{{"id": "*", "title": "*"}}
	for _, y := range years {
		out = append(out, map[string]string{"id": strconv.Itoa(y), "title": strconv.Itoa(y)})
	}
	return out, nil
}

func vodABC(*API, *request, *session) (any, error) {
	out := []map[string]string{{"id": "*", "title": "*"}}
	for c := 'A'; c <= 'Z'; c++ {
		out = append(out, map[string]string{"id": string(c), "title": string(c)})
	}
	return out, nil
}

// vodPage pages items as channel lists do (§4.2, 14 a page).
func vodPage(q *request, items []vodItem) envelope {
	p, _ := strconv.Atoi(q.param("p"))
	p = max(p, 1)
	env := envelope{TotalItems: len(items), MaxPageItems: pageSize, CurPage: p, Data: []any{}}
	for i := (p - 1) * pageSize; i < min(p*pageSize, len(items)); i++ {
		env.Data = append(env.Data, items[i])
	}
	return env
}

// listFilter is what a VOD list call narrows by: category, search (in the
// title), first letter, year.
type listFilter struct {
	category, search, abc string
	year                  int
}

func filterOf(q *request) listFilter {
	f := listFilter{category: q.param("category"), search: strings.ToLower(q.param("search")),
		abc: strings.ToUpper(q.param("abc"))}
	if f.category == "*" {
		f.category = ""
	}
	if f.abc == "*" {
		f.abc = ""
	}
	f.year, _ = strconv.Atoi(q.param("years"))
	return f
}

func (f listFilter) keep(title string, category int64, year int) bool {
	return (f.category == "" || f.category == strconv.FormatInt(category, 10)) &&
		(f.search == "" || strings.Contains(strings.ToLower(title), f.search)) &&
		(f.abc == "" || strings.HasPrefix(strings.ToUpper(title), f.abc)) &&
		(f.year == 0 || f.year == year)
}

// vodList lists the subscriber's movies (§11.2), sorted by sortby: added
// (newest first, the default), name, or rating.
func (a *API) vodList(q *request, s *session) (any, error) {
	if q.param("fav") == "1" {
		return vodPage(q, nil), nil // no VOD favourites are kept
	}
	f := filterOf(q)
	var movies []*subscriberview.VOD
	for i := range s.lineup.VOD {
		if v := &s.lineup.VOD[i]; f.keep(v.Title, v.CategoryID, v.Year) {
			movies = append(movies, v)
		}
	}
	switch q.param("sortby") {
	case "name": // the line-up's order
	case "rating", "top":
		slices.SortStableFunc(movies, func(x, y *subscriberview.VOD) int { return cmp.Compare(y.Rating, x.Rating) })
	default:
		slices.SortStableFunc(movies, func(x, y *subscriberview.VOD) int { return y.Added.Compare(x.Added) })
	}
	items := make([]vodItem, len(movies))
	for i, v := range movies {
		items[i] = movieItem(v, q.now)
	}
	return vodPage(q, items), nil
}

func movieItem(v *subscriberview.VOD, now time.Time) vodItem {
	year := ""
	if v.Year > 0 {
		year = strconv.Itoa(v.Year)
	}
	it := vodItem{ID: strconv.FormatInt(v.ID, 10), Name: v.Title, OName: cmp.Or(v.OriginalTitle, v.Title),
		Description: v.Description, Director: v.Metadata.Director, Actors: v.Metadata.Cast, Year: year,
		GenresStr: v.Metadata.Genre, Time: v.DurationS / 60, RatingIMDB: rating(v.Rating), ScreenshotURI: v.PosterURL,
		CategoryID: strconv.FormatInt(v.CategoryID, 10), IsMovie: 1, Series: []int{},
		Cmd: vodCmd{Type: "movie", StreamID: v.ID, TargetContainer: movieContainer(v)}.String()}
	it.dated(v.Added, now)
	return it
}

// movieContainer is the file type of a movie's URL: its container, else
// the stream name's extension, else mp4.
func movieContainer(v *subscriberview.VOD) string {
	if v.Container != "" {
		return v.Container
	}
	if i := strings.LastIndexByte(v.StreamName, '.'); i >= 0 && !strings.Contains(v.StreamName[i:], "/") {
		return v.StreamName[i+1:]
	}
	return "mp4"
}

func rating(r float64) string {
	if r <= 0 {
		return ""
	}
	return strconv.FormatFloat(r, 'f', 1, 64)
}

// dated sets added and the one date group key the stock UI groups by.
func (it *vodItem) dated(added, now time.Time) {
	if added.IsZero() {
		return
	}
	it.Added = added.UTC().Format(time.DateTime)
	day := func(t time.Time) time.Time {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	switch days := int(day(now).Sub(day(added)).Hours() / 24); {
	case days <= 0:
		it.Today = "Today"
	case days == 1:
		it.Yesterday = "Yesterday"
	default:
		it.WeekAndMore = added.UTC().Format("2006-01-02")
	}
}

// seriesList lists the subscriber's series, or with movie_id the seasons
// of one of them, each carrying its episode numbers (XC_VM's shape).
func (a *API) seriesList(q *request, s *session) (any, error) {
	if id := q.param("movie_id"); id != "" && id != "0" {
		sid, _ := strconv.ParseInt(strings.SplitN(id, ":", 2)[0], 10, 64)
		x, ok := s.lineup.SeriesItem(sid)
		if !ok {
			return vodPage(q, nil), nil
		}
		var items []vodItem
		for _, z := range x.Seasons {
			var nums []int
			for _, e := range z.Episodes {
				if e.Enabled {
					nums = append(nums, e.EpisodeNum)
				}
			}
			if len(nums) == 0 {
				continue
			}
			it := seriesItem(x)
			it.ID = strconv.FormatInt(x.ID, 10) + ":" + strconv.Itoa(z.SeasonNumber)
			it.Name = cmp.Or(z.Name, "Season "+strconv.Itoa(z.SeasonNumber))
			it.Description = cmp.Or(z.Overview, x.Plot)
			it.ScreenshotURI = cmp.Or(z.CoverURL, x.CoverURL)
			it.Series, it.HasFiles = nums, 0
			it.Cmd = vodCmd{Type: "series", SeriesID: x.ID, SeasonNum: z.SeasonNumber}.String()
			items = append(items, it)
		}
		return vodPage(q, items), nil
	}
	if q.param("fav") == "1" {
		return vodPage(q, nil), nil
	}
	f := filterOf(q)
	var items []vodItem
	for _, x := range s.lineup.Series {
		if f.keep(x.Title, x.CategoryID, seriesYear(x)) {
			items = append(items, seriesItem(x))
		}
	}
	if sb := q.param("sortby"); sb == "rating" || sb == "top" {
		slices.SortStableFunc(items, func(x, y vodItem) int { return strings.Compare(y.RatingIMDB, x.RatingIMDB) })
	}
	return vodPage(q, items), nil
}

func seriesYear(x *subscriberview.Series) int {
	y, _ := strconv.Atoi(strings.SplitN(x.Metadata.ReleaseDate, "-", 2)[0])
	return y
}

// seriesItem is a series row: it opens its seasons (has_files).
func seriesItem(x *subscriberview.Series) vodItem {
	year := ""
	if y := seriesYear(x); y > 0 {
		year = strconv.Itoa(y)
	}
	return vodItem{ID: strconv.FormatInt(x.ID, 10), Name: x.Title, OName: x.Title, Description: x.Plot,
		Director: x.Metadata.Director, Actors: x.Metadata.Cast, Year: year, GenresStr: x.Metadata.Genre,
		Time: x.EpisodeRunTime, RatingIMDB: rating(x.Rating), ScreenshotURI: x.CoverURL,
		CategoryID: strconv.FormatInt(x.CategoryID, 10), IsSeries: 1, Series: []int{}, HasFiles: 1,
		Added: x.UpdatedAt.UTC().Format(time.DateTime)}
}

// vodLink mints the URL of a movie, or of episode series=N of a season
// row (§11.3), for this box only, as create_link does for channels. A
// movie or episode outside the subscriber's packages gets the same
// player_file_missing as an unknown one, so existence does not leak.
func (a *API) vodLink(q *request, s *session) (any, error) {
	missing := map[string]any{"id": 0, "cmd": "", "load": "", "subtitles": []any{}, "error": "player_file_missing"}
	c, ok := parseVODCmd(q.param("cmd"))
	if !ok {
		return missing, nil
	}
	var id int64
	var name string
	switch c.Type {
	case "movie":
		v, found := s.lineup.VODItem(c.StreamID)
		if !found {
			return missing, nil
		}
		id, name = v.ID, v.StreamName
	case "series":
		e, found := seasonEpisode(s.lineup, c.SeriesID, c.SeasonNum, q.param("series"))
		if !found {
			return missing, nil
		}
		id, name = e.ID, e.StreamName
	default:
		return missing, nil
	}
	if name == "" {
		return missing, nil
	}
	// The token names no live channel (a negative id), so it cannot open
	// one, and its signature names the file, so it opens no other; it is
	// bound to this subscriber, box and address like any other, and play
	// authorization admits it as it admits an Xtream app's movie URL.
	token := playauth.MintLink(a.deps.Secret(), playauth.MintedLink{SubscriberID: s.sub.ID, DeviceID: s.dev.ID,
		ChannelID: -id, Expires: q.now.Add(a.deps.LinkTTL), File: name}, q.addr())
	// The edge serves the file by its stream name (as the Xtream API's
	// movie redirect sends players), with ranges, so boxes can seek.
	live, _ := s.links.Live(subscriberview.Channel{Name: name}, token, playlist.FormatTS)
	return map[string]any{"id": id, "cmd": "ffmpeg " + strings.Replace(live, "/mpegts?", "?", 1), "load": "",
		"subtitles": []any{}, "error": ""}, nil
}

// seasonEpisode finds episode number num (a string, as boxes send it) of
// a season of a series the subscriber may watch.
func seasonEpisode(l subscriberview.Lineup, seriesID int64, season int, num string) (*subscriberview.Episode, bool) {
	x, ok := l.SeriesItem(seriesID)
	n, err := strconv.Atoi(num)
	if !ok || err != nil {
		return nil, false
	}
	for _, z := range x.Seasons {
		if z.SeasonNumber != season {
			continue
		}
		for _, e := range z.Episodes {
			if e.Enabled && e.EpisodeNum == n {
				return e, true
			}
		}
	}
	return nil, false
}
