package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

// TestReplaceGuideInChunks replaces a guide of 12,000 programmes, which the
// swap takes in several chunks of whole channels, twice: every stop filled
// in from the next programme of its channel and every duplicate resolved
// as in one statement, and the old guide deleted in chunks too.
func TestReplaceGuideInChunks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	src := createSource(t, s, "chunked")
	now := time.Now().UTC().Truncate(time.Hour).Add(time.Hour) // all to come: none is past days_keep
	const channels, each = 30, 400
	var items []store.GuideItem
	for c := range channels {
		ch := fmt.Sprintf("ch%02d.example", c)
		items = append(items, chanItem(ch, ch))
		for k := range each {
			minutes := 0 // ends when the next one starts
			if k == each-1 {
				minutes = 30
			}
			items = append(items, prog(ch, now.Add(time.Duration(k)*30*time.Minute), minutes, fmt.Sprint(k)))
		}
		items = append(items, prog(ch, now.Add(200*30*time.Minute), 0, "later 200")) // the later one wins
	}
	for run := range 2 {
		counts, err := s.ReplaceGuide(ctx, src.ID, guideOf(items, nil))
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.GuideCounts{Channels: channels, Programmes: channels * each, Dropped: channels}); counts != want {
			t.Errorf("run %d: counts: got %+v, want %+v", run, counts, want)
		}
		if n, err := s.CountProgrammes(ctx, src.ID); err != nil || n != channels*each {
			t.Errorf("run %d: stored programmes: got %d, %v; want %d", run, n, err, channels*each)
		}
	}
	var got []api.EPGProgramme
	err := s.FindProgrammes(ctx, []string{"ch17.example"}, now, now.Add(each*30*time.Minute), func(p api.EPGProgramme) error {
		got = append(got, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != each {
		t.Fatalf("programmes of ch17: got %d, want %d", len(got), each)
	}
	for k, p := range got {
		title := fmt.Sprint(k)
		if k == 200 {
			title = "later 200"
		}
		if start, stop := now.Add(time.Duration(k)*30*time.Minute), now.Add(time.Duration(k+1)*30*time.Minute); p.Title != title ||
			!p.Start.Equal(start) || !p.Stop.Equal(stop) {
			t.Fatalf("programme %d of ch17: got %q %v-%v, want %q %v-%v", k, p.Title, p.Start, p.Stop, title, start, stop)
		}
	}
}
