package subscriberview

import (
	"iter"

	"canale/server/internal/catalog"
)

// Series, Season and Episode are the read model's own immutable values,
// shared rather than copied: a line-up names thousands of episodes, and
// copying them for every request would cost more than serving them.
type (
	Series  = catalog.Series
	Season  = catalog.Season
	Episode = catalog.Episode
)

// seriesOf lists the enabled series of the free packages and the
// subscriber's packages, in the catalog's title order.
func (d *CatalogDirectory) seriesOf(s *catalog.Subscriber) []*Series {
	want := map[int64]bool{}
	d.eachPackage(s, func(p *catalog.Package) {
		for _, id := range p.SeriesIDs {
			want[id] = true
		}
	})
	if len(want) == 0 {
		return nil
	}
	out := make([]*Series, 0, len(want))
	for _, x := range d.cat.AllSeries() {
		if x.Enabled && want[x.ID] {
			out = append(out, x)
		}
	}
	return out
}

// SeriesItem returns the series with that id, if the subscriber may watch it.
func (l Lineup) SeriesItem(id int64) (*Series, bool) {
	for _, s := range l.Series {
		if s.ID == id {
			return s, true
		}
	}
	return nil, false
}

// Episodes yields every enabled episode of the line-up's series, in series,
// season and episode order (get.php lists them so).
func (l Lineup) Episodes() iter.Seq[*Episode] {
	return func(yield func(*Episode) bool) {
		for _, s := range l.Series {
			for _, z := range s.Seasons {
				for _, e := range z.Episodes {
					if e.Enabled && !yield(e) {
						return
					}
				}
			}
		}
	}
}

// Episode returns the enabled episode with that id (an XC stream id), if
// it is in a series the subscriber may watch.
func (l Lineup) Episode(id int64) (*Episode, bool) {
	for e := range l.Episodes() {
		if e.ID == id {
			return e, true
		}
	}
	return nil, false
}
