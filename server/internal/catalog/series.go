package catalog

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"
)

// Series is a series with its seasons by number, each with its episodes by
// number. Values are never modified after publication.
type Series struct {
	ID             int64
	Title          string
	CategoryID     int64
	CoverURL       string
	Plot           string
	Rating         float64 // 0–10
	EpisodeRunTime int     // minutes
	Enabled        bool
	Metadata       api.Metadata
	UpdatedAt      time.Time
	Seasons        []*Season
}

// Season is one season of a series.
type Season struct {
	ID           int64
	SeasonNumber int
	Name         string
	Overview     string
	CoverURL     string
	AirDate      string // YYYY-MM-DD or ""
	Episodes     []*Episode
}

// Episode is one episode, its row as the store reads it; Series and Season
// point back to where it is.
type Episode struct {
	store.ReadEpisode
	Series *Series
	Season *Season
}

// seriesIndex is the series part of a snapshot.
type seriesIndex struct {
	all       []*Series
	byID      map[int64]*Series
	episodeBy map[int64]*Episode
}

func newSeriesIndex(rs []store.ReadSeries) seriesIndex {
	x := seriesIndex{byID: make(map[int64]*Series, len(rs)), episodeBy: make(map[int64]*Episode)}
	for _, r := range rs {
		s := &Series{ID: r.ID, Title: r.Title, CategoryID: r.CategoryID, CoverURL: r.CoverURL, Plot: r.Plot,
			Rating: r.Rating, EpisodeRunTime: r.EpisodeRunTime, Enabled: r.Enabled, Metadata: r.Metadata,
			UpdatedAt: r.UpdatedAt}
		for _, rz := range r.Seasons {
			z := &Season{ID: rz.ID, SeasonNumber: rz.SeasonNumber, Name: rz.Name, Overview: rz.Overview,
				CoverURL: rz.CoverURL, AirDate: rz.AirDate}
			for _, re := range rz.Episodes {
				e := &Episode{ReadEpisode: re, Series: s, Season: z}
				z.Episodes = append(z.Episodes, e)
				x.episodeBy[e.ID] = e
			}
			s.Seasons = append(s.Seasons, z)
		}
		x.all = append(x.all, s)
		x.byID[s.ID] = s
	}
	slices.SortStableFunc(x.all, func(a, b *Series) int {
		if c := strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return x
}

// AllSeries lists every series by title, then id, sorted once per snapshot
// so line-ups need not sort thousands per request. The slice is shared: do
// not modify it.
func (c *Catalog) AllSeries() []*Series { return c.small.Load().series.all }

// Series finds a series by id.
func (c *Catalog) Series(id int64) (*Series, bool) {
	s, ok := c.small.Load().series.byID[id]
	return s, ok
}

// Episode finds an episode by id (an XC stream id).
func (c *Catalog) Episode(id int64) (*Episode, bool) {
	e, ok := c.small.Load().series.episodeBy[id]
	return e, ok
}
