package m3uimport

import (
	"strings"
	"testing"
)

func TestSeriesFromPlaylist(t *testing.T) {
	const m3u = `#EXTM3U
#EXTINF:-1 tvg-logo="https://img.example.net/hl.jpg" group-title="Series",Harbour Lights S01E01
http://panel.example.net/series/u/p/7001.mkv
#EXTINF:-1 group-title="Series",Harbour Lights - S01 E02 - Low Tide
http://panel.example.net/series/u/p/7002.mp4
#EXTINF:-1,harbour lights S02E01
http://panel.example.net/series/u/p/7003.mp4
#EXTINF:-1,Tiny.Tales.s1e1
http://panel.example.net/series/u/p/8001.avi
#EXTINF:-1,Harbour Lights S01E01
http://panel.example.net/series/u/p/7999.mp4
#EXTINF:-1,Canale News
http://panel.example.net/live/u/p/1.ts
`
	entries, bad, err := Parse(strings.NewReader(m3u))
	if err != nil || len(bad) != 0 {
		t.Fatal(err, bad)
	}
	body, skipped := Series(entries)
	if len(body.Series) != 2 {
		t.Fatalf("series = %+v; want Harbour Lights and Tiny Tales", body.Series)
	}
	hl := body.Series[0]
	if hl.Title != "Harbour Lights" || hl.CoverURL != "https://img.example.net/hl.jpg" || len(hl.Seasons) != 2 ||
		len(hl.Seasons[0].Episodes) != 2 || len(hl.Seasons[1].Episodes) != 1 {
		t.Fatalf("Harbour Lights = %+v", hl)
	}
	e := hl.Seasons[0].Episodes[1]
	if e.EpisodeNum != 2 || e.Title != "Low Tide" || e.SourceURL != "http://panel.example.net/series/u/p/7002.mp4" ||
		e.Container != "mp4" {
		t.Errorf("S01E02 = %+v", e)
	}
	if c := hl.Seasons[0].Episodes[0].Container; c != "mkv" {
		t.Errorf("S01E01 container = %q; want mkv", c)
	}
	if tt := body.Series[1]; tt.Title != "Tiny Tales" || tt.Seasons[0].SeasonNumber != 1 {
		t.Errorf("Tiny Tales = %+v", tt)
	}
	if len(skipped) != 2 || skipped[0].Line != 10 || skipped[1].Name != "Canale News" {
		t.Errorf("skipped = %+v; want the repeated episode (line 10) and the live channel", skipped)
	}
}
