package api

import (
	"regexp"
	"strings"
	"time"
)

// CategorySeries is the kind of the categories that group series.
const CategorySeries = "series"

// Change entities of the series catalog.
const (
	EntitySeries  Entity = "series"
	EntitySeason  Entity = "season"
	EntityEpisode Entity = "episode"
)

// Metadata is what XC apps show of a movie or a series beside its title and
// poster (specs/xtream-series-vod.md §3–§5). ReleaseDate is YYYY-MM-DD or
// empty when unknown; Trailer is a YouTube video id; TMDBID is digits.
type Metadata struct {
	Cast         string   `json:"cast"`
	Director     string   `json:"director"`
	Genre        string   `json:"genre"` // comma-space separated
	ReleaseDate  string   `json:"release_date"`
	BackdropURLs []string `json:"backdrop_urls"`
	Trailer      string   `json:"trailer"`
	TMDBID       string   `json:"tmdb_id"`
}

// MetadataUpdate holds the metadata fields a PATCH sets.
type MetadataUpdate struct {
	Cast         *string   `json:"cast,omitempty"`
	Director     *string   `json:"director,omitempty"`
	Genre        *string   `json:"genre,omitempty"`
	ReleaseDate  *string   `json:"release_date,omitempty"`
	BackdropURLs *[]string `json:"backdrop_urls,omitempty"`
	Trailer      *string   `json:"trailer,omitempty"`
	TMDBID       *string   `json:"tmdb_id,omitempty"`
}

// Apply returns m with the set fields of u.
func (u MetadataUpdate) Apply(m Metadata) Metadata {
	set(&m.Cast, u.Cast)
	set(&m.Director, u.Director)
	set(&m.Genre, u.Genre)
	set(&m.ReleaseDate, u.ReleaseDate)
	set(&m.BackdropURLs, u.BackdropURLs)
	set(&m.Trailer, u.Trailer)
	set(&m.TMDBID, u.TMDBID)
	return m.normalize()
}

func (m Metadata) normalize() Metadata {
	if m.BackdropURLs == nil {
		m.BackdropURLs = []string{}
	}
	m.ReleaseDate = strings.TrimSpace(m.ReleaseDate)
	return m
}

var (
	digits    = regexp.MustCompile(`^[0-9]*$`)
	youtubeID = regexp.MustCompile(`^[A-Za-z0-9_-]{0,64}$`)
)

func (m Metadata) validate(f FieldErrors) {
	checkDate(f, "release_date", m.ReleaseDate)
	for _, u := range m.BackdropURLs {
		checkURL(f, "backdrop_urls", u, false)
	}
	if !youtubeID.MatchString(m.Trailer) {
		f.Add("trailer", "must be a YouTube video id")
	}
	checkDigits(f, "tmdb_id", m.TMDBID)
	for field, s := range map[string]string{"cast": m.Cast, "director": m.Director, "genre": m.Genre} {
		if len(s) > 2000 {
			f.Add(field, "too long")
		}
	}
}

// checkDate records a failure unless s is empty or a YYYY-MM-DD date.
func checkDate(f FieldErrors, field, s string) {
	if s == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		f.Add(field, "must be a date like 2021-09-10")
	}
}

func checkDigits(f FieldErrors, field, s string) {
	if !digits.MatchString(s) || len(s) > 20 {
		f.Add(field, "must be digits")
	}
}

func checkRating(f FieldErrors, r float64) {
	if r < 0 || r > 10 {
		f.Add("rating", "must be between 0 and 10")
	}
}

// Series is a show: seasons of episodes, sold in packages as a whole.
type Series struct {
	ID         int64   `json:"id"`
	Title      string  `json:"title"`
	CategoryID *int64  `json:"category_id"`
	CoverURL   string  `json:"cover_url"`
	Plot       string  `json:"plot"`
	Rating     float64 `json:"rating"` // 0–10
	// EpisodeRunTime is the usual episode length in minutes.
	EpisodeRunTime int `json:"episode_run_time"`
	Metadata
	Enabled    bool           `json:"enabled"`
	Attributes map[string]any `json:"attributes,omitempty"`
	Version    int            `json:"version"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

// SeriesCreate is the body of POST /api/v1/series; a nil Enabled means enabled.
type SeriesCreate struct {
	Title          string  `json:"title"`
	CategoryID     *int64  `json:"category_id"`
	CoverURL       string  `json:"cover_url"`
	Plot           string  `json:"plot"`
	Rating         float64 `json:"rating"`
	EpisodeRunTime int     `json:"episode_run_time"`
	Metadata
	Enabled    *bool          `json:"enabled"`
	Attributes map[string]any `json:"attributes,omitempty"`
}

// Series returns the series described by c.
func (c SeriesCreate) Series() Series {
	s := Series{Title: c.Title, CategoryID: c.CategoryID, CoverURL: c.CoverURL, Plot: c.Plot, Rating: c.Rating,
		EpisodeRunTime: c.EpisodeRunTime, Metadata: c.Metadata, Enabled: c.Enabled == nil || *c.Enabled,
		Attributes: c.Attributes}
	return s.normalize()
}

func (s Series) normalize() Series {
	s.Title = strings.TrimSpace(s.Title)
	if s.CategoryID != nil && *s.CategoryID == 0 {
		s.CategoryID = nil
	}
	s.Metadata = s.Metadata.normalize()
	return s
}

// Validate checks the series' fields; messages name the JSON field.
func (s Series) Validate() error {
	f := FieldErrors{}
	checkName(f, "title", s.Title, 500)
	checkURL(f, "cover_url", s.CoverURL, true)
	checkRating(f, s.Rating)
	if s.EpisodeRunTime < 0 || s.EpisodeRunTime > 24*60 {
		f.Add("episode_run_time", "must be between 0 and 1440 minutes")
	}
	s.Metadata.validate(f)
	return f.Err()
}

// SeriesUpdate is the body of PATCH /api/v1/series/{id}; a CategoryID of 0
// clears it.
type SeriesUpdate struct {
	Title          *string  `json:"title,omitempty"`
	CategoryID     *int64   `json:"category_id,omitempty"`
	CoverURL       *string  `json:"cover_url,omitempty"`
	Plot           *string  `json:"plot,omitempty"`
	Rating         *float64 `json:"rating,omitempty"`
	EpisodeRunTime *int     `json:"episode_run_time,omitempty"`
	MetadataUpdate
	Enabled    *bool           `json:"enabled,omitempty"`
	Attributes *map[string]any `json:"attributes,omitempty"`
	Version    int             `json:"version"`
}

// Apply returns s with the set fields of u.
func (u SeriesUpdate) Apply(s Series) Series {
	set(&s.Title, u.Title)
	if u.CategoryID != nil {
		s.CategoryID = u.CategoryID
	}
	set(&s.CoverURL, u.CoverURL)
	set(&s.Plot, u.Plot)
	set(&s.Rating, u.Rating)
	set(&s.EpisodeRunTime, u.EpisodeRunTime)
	s.Metadata = u.MetadataUpdate.Apply(s.Metadata)
	set(&s.Enabled, u.Enabled)
	set(&s.Attributes, u.Attributes)
	return s.normalize()
}

// SeriesFilter selects series; lists search ?q= as a title prefix and sort
// by title (default) or id.
type SeriesFilter struct {
	CategoryID int64 `query:"category_id"`
	Enabled    *bool `query:"enabled"`
}

// Season is one season of a series; SeasonNumber 0 holds the specials.
type Season struct {
	ID           int64     `json:"id"`
	SeriesID     int64     `json:"series_id"`
	SeasonNumber int       `json:"season_number"`
	Name         string    `json:"name"` // "" shows as "Season N"
	Overview     string    `json:"overview"`
	CoverURL     string    `json:"cover_url"`
	AirDate      string    `json:"air_date"` // YYYY-MM-DD or ""
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate checks the season's fields; that the series exists is the
// store's check.
func (s Season) Validate() error {
	f := FieldErrors{}
	if s.SeriesID <= 0 {
		f.Add("series_id", "required")
	}
	if s.SeasonNumber < 0 || s.SeasonNumber > 9999 {
		f.Add("season_number", "must be between 0 and 9999")
	}
	if len([]rune(s.Name)) > 200 {
		f.Add("name", "too long")
	}
	checkURL(f, "cover_url", s.CoverURL, true)
	checkDate(f, "air_date", s.AirDate)
	return f.Err()
}

// Normalize trims the name.
func (s Season) Normalize() Season {
	s.Name = strings.TrimSpace(s.Name)
	s.AirDate = strings.TrimSpace(s.AirDate)
	return s
}

// SeasonUpdate is the body of PATCH /api/v1/seasons/{id}; a season stays in
// its series.
type SeasonUpdate struct {
	SeasonNumber *int    `json:"season_number,omitempty"`
	Name         *string `json:"name,omitempty"`
	Overview     *string `json:"overview,omitempty"`
	CoverURL     *string `json:"cover_url,omitempty"`
	AirDate      *string `json:"air_date,omitempty"`
	Version      int     `json:"version"`
}

// Apply returns s with the set fields of u.
func (u SeasonUpdate) Apply(s Season) Season {
	set(&s.SeasonNumber, u.SeasonNumber)
	set(&s.Name, u.Name)
	set(&s.Overview, u.Overview)
	set(&s.CoverURL, u.CoverURL)
	set(&s.AirDate, u.AirDate)
	return s.Normalize()
}

// SeasonFilter selects seasons; lists sort by season_number (default) or id.
type SeasonFilter struct {
	SeriesID int64 `query:"series_id"`
}

// Episode is one episode of a season. Like a movie it plays from a stream
// or file on the streamers (StreamName, a path in a Flussonic VOD location)
// or from SourceURL. Its id is an XC stream id, from the movies' sequence.
type Episode struct {
	ID          int64     `json:"id"`
	SeasonID    int64     `json:"season_id"`
	SeriesID    int64     `json:"series_id"` // the season's, read-only
	EpisodeNum  int       `json:"episode_num"`
	Title       string    `json:"title"`
	StreamName  string    `json:"stream_name"`
	SourceURL   string    `json:"source_url"`
	Container   string    `json:"container"`
	Plot        string    `json:"plot"`
	DurationS   int       `json:"duration_s"`
	Rating      float64   `json:"rating"`
	ReleaseDate string    `json:"release_date"`
	ImageURL    string    `json:"image_url"`
	TMDBID      string    `json:"tmdb_id"`
	Enabled     bool      `json:"enabled"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// EpisodeCreate is the body of POST /api/v1/episodes; a nil Enabled means
// enabled and an empty container mp4.
type EpisodeCreate struct {
	SeasonID    int64   `json:"season_id"`
	EpisodeNum  int     `json:"episode_num"`
	Title       string  `json:"title"`
	StreamName  string  `json:"stream_name"`
	SourceURL   string  `json:"source_url"`
	Container   string  `json:"container"`
	Plot        string  `json:"plot"`
	DurationS   int     `json:"duration_s"`
	Rating      float64 `json:"rating"`
	ReleaseDate string  `json:"release_date"`
	ImageURL    string  `json:"image_url"`
	TMDBID      string  `json:"tmdb_id"`
	Enabled     *bool   `json:"enabled"`
}

// Episode returns the episode described by c.
func (c EpisodeCreate) Episode() Episode {
	e := Episode{SeasonID: c.SeasonID, EpisodeNum: c.EpisodeNum, Title: c.Title, StreamName: c.StreamName,
		SourceURL: c.SourceURL, Container: c.Container, Plot: c.Plot, DurationS: c.DurationS, Rating: c.Rating,
		ReleaseDate: c.ReleaseDate, ImageURL: c.ImageURL, TMDBID: c.TMDBID, Enabled: c.Enabled == nil || *c.Enabled}
	return e.normalize()
}

func (e Episode) normalize() Episode {
	e.Title = strings.TrimSpace(e.Title)
	e.ReleaseDate = strings.TrimSpace(e.ReleaseDate)
	if e.Container == "" {
		e.Container = "mp4"
	}
	return e
}

// Validate checks the episode's fields; that the season exists is the
// store's check.
func (e Episode) Validate() error {
	f := FieldErrors{}
	if e.SeasonID <= 0 {
		f.Add("season_id", "required")
	}
	if e.EpisodeNum < 0 || e.EpisodeNum > 99999 {
		f.Add("episode_num", "must be between 0 and 99999")
	}
	if len([]rune(e.Title)) > 500 {
		f.Add("title", "too long")
	}
	validatePlayable(f, e.StreamName, e.SourceURL, e.Container)
	checkNonNegative(f, "duration_s", int64(e.DurationS))
	checkRating(f, e.Rating)
	checkDate(f, "release_date", e.ReleaseDate)
	checkURL(f, "image_url", e.ImageURL, true)
	checkDigits(f, "tmdb_id", e.TMDBID)
	return f.Err()
}

// validatePlayable checks where a movie or episode plays from.
func validatePlayable(f FieldErrors, streamName, sourceURL, container string) {
	if streamName == "" && sourceURL == "" {
		f.Add("stream_name", "stream_name or source_url is required")
	}
	if streamName != "" && !ValidVODPath(streamName) {
		f.Add("stream_name", "must be a stream name or a path in a VOD location, such as vod/films/night-train.mp4")
	}
	if sourceURL != "" && !validSourceURL(sourceURL) {
		f.Add("source_url", "must be an absolute URL")
	}
	if !ValidStreamName(container) || len(container) > 10 {
		f.Add("container", "must be a short extension such as mp4 or mkv")
	}
}

var vodPath = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$`)

// ValidVODPath reports whether s names a stream or a file in a Flussonic VOD
// location: slash-separated segments of letters, digits, _ - and dots, no
// segment starting with a dot (so no ".." escapes the location).
func ValidVODPath(s string) bool { return len(s) <= 512 && vodPath.MatchString(s) }

// EpisodeUpdate is the body of PATCH /api/v1/episodes/{id}; setting
// SeasonID moves the episode to another season.
type EpisodeUpdate struct {
	SeasonID    *int64   `json:"season_id,omitempty"`
	EpisodeNum  *int     `json:"episode_num,omitempty"`
	Title       *string  `json:"title,omitempty"`
	StreamName  *string  `json:"stream_name,omitempty"`
	SourceURL   *string  `json:"source_url,omitempty"`
	Container   *string  `json:"container,omitempty"`
	Plot        *string  `json:"plot,omitempty"`
	DurationS   *int     `json:"duration_s,omitempty"`
	Rating      *float64 `json:"rating,omitempty"`
	ReleaseDate *string  `json:"release_date,omitempty"`
	ImageURL    *string  `json:"image_url,omitempty"`
	TMDBID      *string  `json:"tmdb_id,omitempty"`
	Enabled     *bool    `json:"enabled,omitempty"`
	Version     int      `json:"version"`
}

// Apply returns e with the set fields of u.
func (u EpisodeUpdate) Apply(e Episode) Episode {
	set(&e.SeasonID, u.SeasonID)
	set(&e.EpisodeNum, u.EpisodeNum)
	set(&e.Title, u.Title)
	set(&e.StreamName, u.StreamName)
	set(&e.SourceURL, u.SourceURL)
	set(&e.Container, u.Container)
	set(&e.Plot, u.Plot)
	set(&e.DurationS, u.DurationS)
	set(&e.Rating, u.Rating)
	set(&e.ReleaseDate, u.ReleaseDate)
	set(&e.ImageURL, u.ImageURL)
	set(&e.TMDBID, u.TMDBID)
	set(&e.Enabled, u.Enabled)
	return e.normalize()
}

// EpisodeFilter selects episodes; lists sort by episode_num (default) or id.
type EpisodeFilter struct {
	SeasonID int64 `query:"season_id"`
	SeriesID int64 `query:"series_id"`
}

// SeriesImport is one series of a bulk import (POST /api/v1/series/import):
// the series with its seasons and their episodes.
type SeriesImport struct {
	SeriesCreate
	Seasons []SeasonImport `json:"seasons"`
}

// SeasonImport is one season of an imported series; SeriesID is ignored.
type SeasonImport struct {
	Season
	Episodes []EpisodeCreate `json:"episodes"`
}

// SeriesImportBody is the JSON listing POST /api/v1/series/import takes.
type SeriesImportBody struct {
	Series []SeriesImport `json:"series"`
}

// WithoutSecrets shows the file URL as RedactSourceURL does, as for movies:
// an operator may manage episodes without reading the storage's credentials.
func (e Episode) WithoutSecrets() any {
	e.SourceURL = RedactSourceURL(e.SourceURL)
	return e
}
