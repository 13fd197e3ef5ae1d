package catalog_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"canale/server/internal/catalog"
	"canale/server/internal/m3uimport"
	"canale/server/internal/store"
	"canale/shared/api"
)

// TestImportsGiveQuietAnswers runs each import issue 21 names while tokens
// are reset and checked, as TestBackgroundJobsGiveQuietAnswers does for
// the model's own jobs: a guide and a playlist change no subscriber, and
// the play checks must answer exactly as on a quiet server throughout.
// (The subscriber import is its Import case; an XC import replaces every
// subscriber, so it has no quiet answers to keep.)
func TestImportsGiveQuietAnswers(t *testing.T) {
	const n = 10_000
	t.Run("EPG", func(t *testing.T) {
		b := setupBusy(t, n)
		// The guide starts an hour before the current hour, so some of its
		// programmes have always ended; a day kept keeps them whatever the
		// minute, hour or date the test runs at (with none kept, the import's
		// cutoff is now and the count would hang on the clock).
		src, err := b.st.CreateEPGSource(context.Background(), admin, api.EPGSource{Name: "guide", URL: "http://127.0.0.1/guide.xml",
			DaysKeep: 1})
		if err != nil {
			t.Fatal(err)
		}
		guide := generatedGuide(100, 20_000) // several chunks of the swap
		job := func(ctx context.Context) error {
			counts, err := b.st.ReplaceGuide(ctx, src.ID, guide)
			if err == nil && counts.Programmes != 20_000 {
				err = fmt.Errorf("stored %d programmes, want 20000", counts.Programmes)
			}
			return err
		}
		checkWhile(t, b, thrice(job), none, always)
	})
	t.Run("M3U", func(t *testing.T) {
		b := setupBusy(t, n)
		items := playlistItems(t, 2_000)
		job := func(ctx context.Context) error {
			rep, err := b.st.ImportChannels(ctx, admin, items, api.ImportOptions{})
			if err == nil && rep.Created+rep.Updated != len(items) {
				err = fmt.Errorf("created %d, updated %d, want %d in all", rep.Created, rep.Updated, len(items))
			}
			return err
		}
		loaded := b.cat.Stats().At
		last := items[len(items)-1].Channel.Name
		checkWhile(t, b, thrice(job), none, func(c *catalog.Catalog) bool { _, ok := c.Channel(last); return ok })
		if at := b.cat.Stats().At; !at.Equal(loaded) {
			t.Errorf("the model was rebuilt at %v for a playlist import; want only the small tables reloaded", at)
		}
	})
}

// generatedGuide is a guide of channels channels and programmes programmes
// of half an hour each, from the top of the hour before the current one.
func generatedGuide(channels, programmes int) func(yield func(store.GuideItem) error) error {
	from := time.Now().Truncate(time.Hour).Add(-time.Hour)
	return func(yield func(store.GuideItem) error) error {
		for c := range channels {
			if err := yield(store.GuideItem{Channel: &api.EPGChannel{EPGID: fmt.Sprintf("ch%d", c)}}); err != nil {
				return err
			}
		}
		for p := range programmes {
			at := from.Add(time.Duration(p/channels) * 30 * time.Minute)
			it := store.GuideItem{Programme: &api.EPGProgramme{ChannelEPGID: fmt.Sprintf("ch%d", p%channels), Start: at,
				Stop: at.Add(30 * time.Minute), Title: fmt.Sprint("Programme ", p)}}
			if err := yield(it); err != nil {
				return err
			}
		}
		return nil
	}
}

// playlistItems parses and prepares an M3U playlist of channels channels as
// the channel import handler does.
func playlistItems(t *testing.T, channels int) []store.ChannelImport {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("#EXTM3U\n")
	for i := range channels {
		fmt.Fprintf(&b, "#EXTINF:-1 tvg-id=\"m3u%d\" group-title=\"Group %d\",Imported %05d\nhttp://origin.test/live/%d.m3u8\n", i, i%10, i, i)
	}
	entries, bad, err := m3uimport.Parse(&b)
	if err != nil || len(bad) > 0 {
		t.Fatalf("parse playlist: %v, bad lines %v", err, bad)
	}
	entries, bad = m3uimport.Prepare(entries, bad)
	if len(bad) > 0 {
		t.Fatalf("prepare playlist: bad lines %v", bad)
	}
	items := make([]store.ChannelImport, len(entries))
	for i, e := range entries {
		items[i] = store.ChannelImport{Line: e.Line, Category: e.Category, Channel: e.Channel}
	}
	return items
}
