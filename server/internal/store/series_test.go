package store_test

import (
	"context"
	"errors"
	"testing"

	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

func TestSeriesLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	actor := api.SystemActor("test")
	cat, err := s.CreateCategory(ctx, actor, api.Category{Kind: api.CategorySeries, Name: "Drama"})
	if err != nil {
		t.Fatal(err)
	}
	sr, err := s.CreateSeries(ctx, actor, api.SeriesCreate{Title: " Harbour Lights ", CategoryID: &cat.ID, Rating: 8.2,
		EpisodeRunTime: 45, Metadata: api.Metadata{Genre: "Drama, Crime", ReleaseDate: "2021-09-10", TMDBID: "90210",
			BackdropURLs: []string{"https://img.example.net/b/1.jpg"}}})
	if err != nil {
		t.Fatal(err)
	}
	if sr.Title != "Harbour Lights" || sr.ReleaseDate != "2021-09-10" || len(sr.BackdropURLs) != 1 || !sr.Enabled {
		t.Errorf("created series = %+v", sr)
	}
	z, err := s.CreateSeason(ctx, actor, api.Season{SeriesID: sr.ID, SeasonNumber: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSeason(ctx, actor, api.Season{SeriesID: sr.ID, SeasonNumber: 1}); fieldOf(err, "season_number") == "" {
		t.Errorf("second season 1: %v; want conflict", err)
	}
	if _, err := s.CreateSeason(ctx, actor, api.Season{SeriesID: 999999, SeasonNumber: 1}); api.ErrorCode(err) != api.CodeInvalid {
		t.Errorf("season of a missing series: %v; want invalid", err)
	}
	e, err := s.CreateEpisode(ctx, actor, api.EpisodeCreate{SeasonID: z.ID, EpisodeNum: 1, Title: "Arrival",
		StreamName: "vod/hl/s01e01.mp4"})
	if err != nil {
		t.Fatal(err)
	}
	if e.SeriesID != sr.ID || e.Container != "mp4" || e.ReleaseDate != "" {
		t.Errorf("created episode = %+v", e)
	}
	if _, err := s.CreateEpisode(ctx, actor, api.EpisodeCreate{SeasonID: z.ID, EpisodeNum: 2,
		StreamName: "../etc/passwd"}); fieldOf(err, "stream_name") == "" {
		t.Errorf("episode path with ..: %v; want stream_name refused", err)
	}
	// Episodes take ids from the movies' sequence: one XC stream id space.
	v, err := s.CreateVOD(ctx, actor, api.VODCreate{Title: "Night Train", StreamName: "vod/films/nt.mkv",
		Container: "mkv", Metadata: api.Metadata{Cast: "A. Actor", ReleaseDate: "2019-05-01"}, OriginalTitle: "Train de nuit"})
	if err != nil {
		t.Fatal(err)
	}
	if v.ID == e.ID || v.Cast != "A. Actor" || v.OriginalTitle != "Train de nuit" {
		t.Errorf("movie %+v beside episode %d", v, e.ID)
	}
	p, err := s.CreatePackage(ctx, actor, api.Package{Name: "Series", SeriesIDs: []int64{sr.ID}, VODIDs: []int64{v.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.SeriesIDs) != 1 || p.SeriesIDs[0] != sr.ID {
		t.Errorf("package series = %v", p.SeriesIDs)
	}
	if _, err := s.CreatePackage(ctx, actor, api.Package{Name: "Bad", SeriesIDs: []int64{999999}}); fieldOf(err, "series_ids") == "" {
		t.Errorf("package with a missing series: %v; want series_ids named", err)
	}

	rc, err := s.LoadReadCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Series) != 1 || len(rc.Series[0].Seasons) != 1 || len(rc.Series[0].Seasons[0].Episodes) != 1 {
		t.Fatalf("read model series = %+v", rc.Series)
	}
	if got := rc.Series[0]; got.CategoryID != cat.ID || got.Metadata.TMDBID != "90210" {
		t.Errorf("read series = %+v", got)
	}

	up, err := s.UpdateSeries(ctx, actor, sr.ID, api.SeriesUpdate{MetadataUpdate: api.MetadataUpdate{ReleaseDate: new(string)},
		Version: sr.Version})
	if err != nil || up.ReleaseDate != "" || up.Genre != "Drama, Crime" {
		t.Errorf("clear release date: %+v, %v", up, err)
	}
	if _, err := s.UpdateSeries(ctx, actor, sr.ID, api.SeriesUpdate{Version: sr.Version}); api.ErrorCode(err) != api.CodeConflict {
		t.Errorf("stale update: %v; want conflict", err)
	}
	if err := s.DeleteSeries(ctx, actor, sr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindEpisodeByID(ctx, e.ID); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("episode after its series was deleted: %v", err)
	}
	if p, _ := s.FindPackageByID(ctx, p.ID); len(p.SeriesIDs) != 0 {
		t.Errorf("package still holds the deleted series: %v", p.SeriesIDs)
	}
	auditPage, err := s.FindAudit(ctx, api.AuditFilter{Entity: api.EntitySeries}, api.ListParams{})
	audit := auditPage.Items
	if err != nil || len(audit) != 3 {
		t.Errorf("series audit = %d records, %v; want create, update, delete", len(audit), err)
	}
}

func TestImportSeries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	actor := api.SystemActor("test")
	body := api.SeriesImportBody{Series: []api.SeriesImport{{
		SeriesCreate: api.SeriesCreate{Title: "Harbour Lights"},
		Seasons: []api.SeasonImport{
			{Season: api.Season{SeasonNumber: 1}, Episodes: []api.EpisodeCreate{
				{EpisodeNum: 1, StreamName: "vod/hl/1.mp4"}, {EpisodeNum: 2, StreamName: "vod/hl/2.mp4"}}},
			{Season: api.Season{SeasonNumber: 2}, Episodes: []api.EpisodeCreate{{EpisodeNum: 1, StreamName: "vod/hl/3.mp4"}}},
		}}}}
	bad := body
	bad.Series = append([]api.SeriesImport{}, body.Series...)
	bad.Series = append(bad.Series, api.SeriesImport{SeriesCreate: api.SeriesCreate{Title: "Broken"},
		Seasons: []api.SeasonImport{{Episodes: []api.EpisodeCreate{{EpisodeNum: 1}}}}})
	_, err := s.ImportSeries(ctx, actor, bad)
	if fieldOf(err, "series[1].seasons[0].episodes[0].stream_name") == "" {
		t.Fatalf("import with a bad episode: %v; want its place named", err)
	}
	if pg, _ := s.FindSeries(ctx, api.SeriesFilter{}, api.ListParams{}); len(pg.Items) != 0 {
		t.Fatalf("a refused import left %d series", len(pg.Items))
	}
	rep, err := s.ImportSeries(ctx, actor, body)
	if err != nil || rep.Created != 1 || !rep.Applied {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	eps, err := s.FindEpisodes(ctx, api.EpisodeFilter{SeriesID: 0}, api.ListParams{})
	if err != nil || len(eps.Items) != 3 {
		t.Errorf("episodes after import = %d, %v; want 3", len(eps.Items), err)
	}
}

// fieldOf is the reason an *api.Error gives for field, "" when none.
func fieldOf(err error, field string) string {
	var e *api.Error
	if !errors.As(err, &e) {
		return ""
	}
	return e.Fields[field]
}
