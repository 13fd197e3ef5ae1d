package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"

	"github.com/google/go-cmp/cmp"
)

var epgActor = api.SystemActor("test")

func createSource(t *testing.T, s *store.Store, name string) api.EPGSource {
	t.Helper()
	src, err := s.CreateEPGSource(context.Background(), epgActor,
		api.EPGSource{Name: name, URL: "http://127.0.0.1/" + name + ".xml", Enabled: true})
	if err != nil {
		t.Fatalf("create source %s: %v", name, err)
	}
	return src
}

// guideOf returns a guide function yielding items, then failing with fail when set.
func guideOf(items []store.GuideItem, fail error) func(func(store.GuideItem) error) error {
	return func(yield func(store.GuideItem) error) error {
		for _, it := range items {
			if err := yield(it); err != nil {
				return err
			}
		}
		return fail
	}
}

func prog(ch string, start time.Time, minutes int, title string) store.GuideItem {
	p := &api.EPGProgramme{ChannelEPGID: ch, Start: start, Title: title}
	if minutes > 0 {
		p.Stop = start.Add(time.Duration(minutes) * time.Minute)
	}
	return store.GuideItem{Programme: p}
}

func chanItem(id string, names ...string) store.GuideItem {
	return store.GuideItem{Channel: &api.EPGChannel{EPGID: id, DisplayNames: names}}
}

func TestEPGSourceCRUD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	src := createSource(t, s, "main-epg")
	if src.IntervalHours != api.DefaultEPGIntervalHours || src.Version != 1 || src.LastResult != "" || src.AllowPrivateNetwork {
		t.Errorf("created: got interval %d version %d result %q private network %v, want defaults", src.IntervalHours,
			src.Version, src.LastResult, src.AllowPrivateNetwork)
	}
	if _, err := s.CreateEPGSource(ctx, epgActor, api.EPGSource{Name: "MAIN-epg", URL: "http://x/y"}); api.ErrorCode(err) != api.CodeConflict {
		t.Errorf("duplicate name: got %v, want conflict", err)
	}
	if _, err := s.CreateEPGSource(ctx, epgActor, api.EPGSource{Name: "bad", URL: "ftp://x/y"}); api.ErrorCode(err) != api.CodeInvalid {
		t.Errorf("ftp url: got %v, want invalid", err)
	}
	days, allow := 3, true
	upd, err := s.UpdateEPGSource(ctx, epgActor, src.ID, api.EPGSourceUpdate{DaysKeep: &days, AllowPrivateNetwork: &allow, Version: 1})
	if err != nil || upd.DaysKeep != 3 || !upd.AllowPrivateNetwork || upd.Version != 2 {
		t.Fatalf("update: got %+v, %v; want days_keep 3, private network allowed, version 2", upd, err)
	}
	if got, _ := s.FindEPGSourceByID(ctx, src.ID); !got.AllowPrivateNetwork {
		t.Errorf("find after update: got allow_private_network false, want true")
	}
	if _, err := s.UpdateEPGSource(ctx, epgActor, src.ID, api.EPGSourceUpdate{DaysKeep: &days, Version: 1}); api.ErrorCode(err) != api.CodeConflict {
		t.Errorf("stale update: got %v, want conflict", err)
	}
	if _, err := s.UpdateEPGSource(ctx, epgActor, 999, api.EPGSourceUpdate{DaysKeep: &days, Version: 1}); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("update missing: got %v, want not_found", err)
	}
	if err := s.DeleteEPGSource(ctx, epgActor, src.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindEPGSourceByID(ctx, src.ID); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("after delete: got %v, want not_found", err)
	}
	auditPage, _ := s.FindAudit(ctx, api.AuditFilter{Entity: "epg_source"}, api.ListParams{})
	audit := auditPage.Items
	if len(audit) != 3 {
		t.Errorf("audit: got %d records, want 3 (create, update, delete)", len(audit))
	}
}

// TestEPGSourceNameTakenNamesField checks the field named by a unique violation on a table
// whose name holds an underscore: epg_sources_name_key is the name, not "sources_name".
func TestEPGSourceNameTakenNamesField(t *testing.T) {
	t.Parallel()
	s := storetest.New(t)
	createSource(t, s, "guide")
	_, err := s.CreateEPGSource(context.Background(), epgActor, api.EPGSource{Name: "Guide", URL: "http://127.0.0.1/g.xml"})
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Code != api.CodeConflict {
		t.Fatalf("duplicate name: got %v, want conflict", err)
	}
	if diff := cmp.Diff(map[string]string{"name": "already taken"}, apiErr.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestFindEPGSourcesPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	for _, n := range []string{"delta", "Alpha", "charlie", "bravo", "echo"} {
		createSource(t, s, n)
	}
	var got []string
	p := api.ListParams{Limit: 2}
	for range 5 {
		page, err := s.FindEPGSources(ctx, api.EPGSourceFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, src := range page.Items {
			got = append(got, src.Name)
		}
		if p.Cursor = page.Next; p.Cursor == "" {
			break
		}
	}
	if want := []string{"Alpha", "bravo", "charlie", "delta", "echo"}; !cmp.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	page, err := s.FindEPGSources(ctx, api.EPGSourceFilter{}, api.ListParams{Query: "ch"})
	if err != nil || len(page.Items) != 1 || page.Items[0].Name != "charlie" {
		t.Errorf("query ch: got %+v, %v; want charlie", page.Items, err)
	}
}

func TestReplaceGuide(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	src := createSource(t, s, "main")
	now := time.Now().UTC().Truncate(time.Hour)
	items := []store.GuideItem{
		chanItem("one.example", "One"),
		prog("one.example", now, 60, "A"),
		prog("one.example", now.Add(time.Hour), 0, "B, no stop"), // ends at C's start
		prog("one.example", now.Add(2*time.Hour), 30, "C"),
		prog("one.example", now.Add(2*time.Hour), 30, "C again"), // same start: the later wins
		prog("one.example", now.Add(3*time.Hour), 0, "D, last, no stop"),
		chanItem("one.example", "One HD"), // merged
		chanItem("two.example", "Two"),
		prog("two.example", now.AddDate(0, 0, -30), 60, "Too old"),
	}
	counts, err := s.ReplaceGuide(ctx, src.ID, guideOf(items, nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.GuideCounts{Channels: 2, Programmes: 3, Dropped: 3}); counts != want {
		t.Errorf("counts: got %+v, want %+v", counts, want)
	}
	var titles []string
	var stops []time.Time
	err = s.FindProgrammes(ctx, []string{"one.example", "two.example"}, now.Add(-time.Hour), now.Add(24*time.Hour),
		func(p api.EPGProgramme) error {
			titles = append(titles, p.Title)
			stops = append(stops, p.Stop.UTC())
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"A", "B, no stop", "C again"}; !cmp.Equal(titles, want) {
		t.Errorf("titles: got %v, want %v", titles, want)
	}
	if len(stops) == 3 && !stops[1].Equal(now.Add(2*time.Hour)) {
		t.Errorf("stop of B: got %v, want the start of C %v", stops[1], now.Add(2*time.Hour))
	}
	chans, err := s.FindEPGChannels(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []api.EPGChannel{{SourceID: src.ID, EPGID: "one.example", DisplayNames: []string{"One", "One HD"}},
		{SourceID: src.ID, EPGID: "two.example", DisplayNames: []string{"Two"}}}
	if diff := cmp.Diff(want, chans); diff != "" {
		t.Errorf("channels (-want +got):\n%s", diff)
	}
}

func TestReplaceGuideFailureKeepsPreviousGuide(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	src := createSource(t, s, "main")
	now := time.Now().UTC().Truncate(time.Hour)
	good := []store.GuideItem{chanItem("one.example", "One"), prog("one.example", now, 60, "Old A"), prog("one.example", now.Add(time.Hour), 60, "Old B")}
	if _, err := s.ReplaceGuide(ctx, src.ID, guideOf(good, nil)); err != nil {
		t.Fatal(err)
	}
	broken := []store.GuideItem{chanItem("new.example"), prog("one.example", now, 60, "New A")}
	errCut := errors.New("unexpected EOF")
	if _, err := s.ReplaceGuide(ctx, src.ID, guideOf(broken, errCut)); !errors.Is(err, errCut) {
		t.Fatalf("broken guide: got %v, want the guide's error", err)
	}
	if n, _ := s.CountProgrammes(ctx, src.ID); n != 2 {
		t.Errorf("programmes after a broken guide: got %d, want 2", n)
	}
	nn, err := s.FindNowNext(ctx, []string{"one.example"}, now.Add(time.Minute))
	if err != nil || nn["one.example"][0].Title != "Old A" {
		t.Errorf("now after a broken guide: got %+v, %v; want Old A", nn, err)
	}
	chans, _ := s.FindEPGChannels(ctx, src.ID)
	if len(chans) != 1 || chans[0].EPGID != "one.example" {
		t.Errorf("channels after a broken guide: got %+v, want one.example only", chans)
	}
	if _, err := s.ReplaceGuide(ctx, 999, guideOf(good, nil)); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("unknown source: got %v, want not_found", err)
	}
}

func TestFindNowNext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	src := createSource(t, s, "main")
	t0 := time.Now().UTC().Truncate(time.Hour)
	items := []store.GuideItem{
		prog("a", t0, 60, "A1"), prog("a", t0.Add(time.Hour), 60, "A2"), prog("a", t0.Add(2*time.Hour), 60, "A3"),
		prog("b", t0, 30, "B1"), prog("b", t0.Add(time.Hour), 60, "B2"), // a gap from t0+30m
		prog("c", t0.Add(-time.Hour), 30, "C1"), // over
	}
	if _, err := s.ReplaceGuide(ctx, src.ID, guideOf(items, nil)); err != nil {
		t.Fatal(err)
	}
	nn, err := s.FindNowNext(ctx, []string{"a", "b", "c", "missing"}, t0.Add(45*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id        string
		now, next string
	}{
		{"a", "A1", "A2"},
		{"b", "", "B2"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got := nn[tt.id]
			if got[0].Title != tt.now || got[1].Title != tt.next {
				t.Errorf("got now %q next %q, want %q %q", got[0].Title, got[1].Title, tt.now, tt.next)
			}
		})
	}
	for _, id := range []string{"c", "missing"} {
		if v, ok := nn[id]; ok {
			t.Errorf("%s: got %+v, want absent", id, v)
		}
	}
}

func TestPruneEPGProgrammes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	src := createSource(t, s, "main") // days_keep 0: keep nothing that has ended
	t0 := time.Now().UTC().Truncate(time.Hour)
	items := []store.GuideItem{prog("a", t0, 60, "A1"), prog("a", t0.Add(time.Hour), 60, "A2"), prog("a", t0.Add(2*time.Hour), 60, "A3")}
	if _, err := s.ReplaceGuide(ctx, src.ID, guideOf(items, nil)); err != nil {
		t.Fatal(err)
	}
	n, err := s.PruneEPGProgrammes(ctx, t0.Add(90*time.Minute))
	if err != nil || n != 1 {
		t.Errorf("prune at t0+90m: got %d, %v; want 1 (A1 ended)", n, err)
	}
	days := 1
	if _, err := s.UpdateEPGSource(ctx, epgActor, src.ID, api.EPGSourceUpdate{DaysKeep: &days, Version: src.Version}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PruneEPGProgrammes(ctx, t0.Add(12*time.Hour)); n != 0 {
		t.Errorf("prune within days_keep: got %d, want 0", n)
	}
	if n, _ := s.PruneEPGProgrammes(ctx, t0.Add(28*time.Hour)); n != 2 {
		t.Errorf("prune after days_keep: got %d, want 2", n)
	}
}

// TestReplaceGuideRepeatedChannelIsBounded repeats one channel element many
// times, as a hostile guide could a million times: its merged display names
// stay bounded.
func TestReplaceGuideRepeatedChannelIsBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	src := createSource(t, s, "main")
	var items []store.GuideItem
	for i := range 1000 {
		items = append(items, chanItem("one.example", fmt.Sprintf("One %d", i)))
	}
	if _, err := s.ReplaceGuide(ctx, src.ID, guideOf(items, nil)); err != nil {
		t.Fatal(err)
	}
	chans, err := s.FindEPGChannels(ctx, src.ID)
	if err != nil || len(chans) != 1 || len(chans[0].DisplayNames) != store.MaxChannelDisplayNames {
		t.Errorf("got %d channels, %v; want one with %d display names", len(chans), err, store.MaxChannelDisplayNames)
	}
}
