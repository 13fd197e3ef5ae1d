package catalog

import "slices"

// OnDemand is a movie or an episode as play authorization meets it: a file
// of a Flussonic VOD location that a streamer asks about by its stream name
// (`vod/films/a.mkv`), as it asks about a live channel by its name. One of
// Movie and Episode is set.
type OnDemand struct {
	Movie   *VOD
	Episode *Episode
}

// ID is the movie's or the episode's id (an XC stream id either way).
func (o OnDemand) ID() int64 {
	if o.Movie != nil {
		return o.Movie.ID
	}
	return o.Episode.ID
}

// Enabled reports whether the file may be played at all: a movie that is
// enabled, an episode that is enabled in a series that is, as the
// line-ups list them.
func (o OnDemand) Enabled() bool {
	if o.Movie != nil {
		return o.Movie.Enabled
	}
	return o.Episode.Enabled && o.Episode.Series.Enabled
}

// newOnDemandIndex maps each stream name to the movies and episodes that
// play it (usually one; two rows may name the same file).
func newOnDemandIndex(vod []*VOD, series seriesIndex) map[string][]OnDemand {
	m := make(map[string][]OnDemand, len(vod)+len(series.episodeBy))
	for _, v := range vod {
		if v.StreamName != "" {
			m[v.StreamName] = append(m[v.StreamName], OnDemand{Movie: v})
		}
	}
	for _, s := range series.all {
		for _, z := range s.Seasons {
			for _, e := range z.Episodes {
				if e.StreamName != "" {
					m[e.StreamName] = append(m[e.StreamName], OnDemand{Episode: e})
				}
			}
		}
	}
	return m
}

// OnDemandByName lists the movies and episodes whose stream name is name.
// The slice is shared: do not modify it.
func (c *Catalog) OnDemandByName(name string) []OnDemand { return c.small.Load().onDemand[name] }

// EntitledOnDemand reports whether the subscriber may play o: it is in a
// free package or one of the subscriber's packages, a movie by its id and
// an episode by its series, the rule the line-ups (and so the Xtream and
// Stalker lists) apply. It does not look at Enabled or the subscriber's
// status.
func (c *Catalog) EntitledOnDemand(s *Subscriber, o OnDemand) bool {
	m := c.small.Load()
	holds := func(p *Package) bool {
		if o.Movie != nil {
			return p.HasVOD(o.Movie.ID)
		}
		return slices.Contains(p.SeriesIDs, o.Episode.Series.ID)
	}
	if slices.ContainsFunc(m.freePackages, holds) {
		return true
	}
	for _, id := range s.PackageIDs {
		if p, ok := m.packagesByID[id]; ok && holds(p) {
			return true
		}
	}
	return false
}
