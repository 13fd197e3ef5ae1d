package cli

import (
	"context"
	"fmt"
	"strings"

	"canale/server/internal/store"
	"canale/shared/api"
)

// demoSeries is the demo's show: two seasons of a few episodes, so a
// newcomer sees the Series screen of an XC app filled at once.
func demoSeries(category int64) api.SeriesImport {
	ep := func(season, n int, title string) api.EpisodeCreate {
		return api.EpisodeCreate{EpisodeNum: n, Title: title, DurationS: 45 * 60, Plot: "Episode " + title + ".",
			StreamName: fmt.Sprintf("vod/demo/harbour-lights/s%02de%02d.mp4", season, n)}
	}
	return api.SeriesImport{
		SeriesCreate: api.SeriesCreate{Title: "Harbour Lights", CategoryID: &category, Rating: 8, EpisodeRunTime: 45,
			Plot: "A port town keeps its secrets until the lighthouse goes dark.",
			Metadata: api.Metadata{Cast: "Ada Marin, Leo Quist", Director: "Noor Vale", Genre: "Drama, Crime",
				ReleaseDate: "2021-09-10"}},
		Seasons: []api.SeasonImport{
			{Season: api.Season{SeasonNumber: 1, AirDate: "2021-09-10"}, Episodes: []api.EpisodeCreate{
				ep(1, 1, "Arrival"), ep(1, 2, "Low Tide"), ep(1, 3, "The Keeper")}},
			{Season: api.Season{SeasonNumber: 2, AirDate: "2022-09-09"}, Episodes: []api.EpisodeCreate{
				ep(2, 1, "Fog"), ep(2, 2, "Undertow")}},
		},
	}
}

var demoMovies = []api.VODCreate{
	{Title: "Night Train", StreamName: "vod/demo/night-train.mp4", DurationS: 6330, Year: 2019, Rating: 7.4,
		Description: "A courier has one night to cross the border.",
		Metadata:    api.Metadata{Cast: "Ada Marin", Director: "Noor Vale", Genre: "Thriller", ReleaseDate: "2019-05-01"}},
	{Title: "Paper Moons", StreamName: "vod/demo/paper-moons.mp4", DurationS: 5520, Year: 2022, Rating: 6.9,
		Description: "Two sisters restore their grandfather's cinema.",
		Metadata:    api.Metadata{Cast: "Leo Quist", Director: "Ivo Brandt", Genre: "Comedy, Drama", ReleaseDate: "2022-03-18"}},
}

// seedDemoSeries adds the demo's series and movies to the Premium package,
// once: a demo started again on the same database finds them there.
func seedDemoSeries(ctx context.Context, s *store.Store) error {
	actor := api.SystemActor("demo")
	have, err := s.FindSeries(ctx, api.SeriesFilter{}, api.ListParams{Query: "Harbour Lights"})
	if err != nil || len(have.Items) > 0 {
		return err
	}
	pkgs, err := s.FindPackages(ctx, api.PackageFilter{}, api.ListParams{Query: "Premium"})
	if err != nil {
		return err
	}
	if len(pkgs.Items) != 1 {
		return fmt.Errorf("demo: no Premium package")
	}
	pkg := pkgs.Items[0]
	films, err := s.CreateCategory(ctx, actor, api.Category{Kind: api.CategoryVOD, Name: "Films"})
	if err != nil {
		return err
	}
	drama, err := s.CreateCategory(ctx, actor, api.Category{Kind: api.CategorySeries, Name: "Drama"})
	if err != nil {
		return err
	}
	if _, err := s.ImportSeries(ctx, actor, api.SeriesImportBody{Series: []api.SeriesImport{demoSeries(drama.ID)}}); err != nil {
		return err
	}
	shows, err := s.FindSeries(ctx, api.SeriesFilter{}, api.ListParams{Query: "Harbour Lights"})
	if err != nil {
		return err
	}
	seriesIDs := append(pkg.SeriesIDs, shows.Items[0].ID)
	vodIDs := pkg.VODIDs
	for _, m := range demoMovies {
		m.CategoryID = &films.ID
		v, err := s.CreateVOD(ctx, actor, m)
		if err != nil {
			return fmt.Errorf("demo movie %s: %w", strings.ToLower(m.Title), err)
		}
		vodIDs = append(vodIDs, v.ID)
	}
	_, err = s.UpdatePackage(ctx, actor, pkg.ID, api.PackageUpdate{SeriesIDs: &seriesIDs, VODIDs: &vodIDs, Version: pkg.Version})
	return err
}
