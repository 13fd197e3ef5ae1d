package stalker_test

import (
	"fmt"
	"testing"
	"time"
)

// TestEPGInfo: itv/get_epg_info, the one call Kodi's pvr.stalker builds
// its whole guide from, answers every channel's programmes overlapping the
// next period hours keyed by channel id, with plain-text titles and
// descriptions and unix times.
func TestEPGInfo(t *testing.T) {
	_, b, chID, now := guidedBox(t)

	var info struct {
		Data map[string][]programme `json:"data"`
	}
	b.js(&info, "itv", "get_epg_info", "period", "5")
	ps := info.Data[fmt.Sprint(chID)]
	if len(info.Data) != 1 || len(ps) < 5 || len(ps) > 6 {
		t.Fatalf("get_epg_info period 5 = %d channels, %d programmes of channel %d; want that channel's 5 or 6 programmes (the one on now and the next hours)",
			len(info.Data), len(ps), chID)
	}
	if ps[0].Start != now.Unix() || ps[0].Name != "Show 0" || ps[0].Descr != "plain text, not base64" || ps[0].ChID != fmt.Sprint(chID) {
		t.Fatalf("first programme = %+v, want Show 0 from %d with its plain-text description", ps[0], now.Unix())
	}
	b.js(&info, "itv", "get_epg_info", "period", "96") // what Kodi asks: its four-day window
	if ps := info.Data[fmt.Sprint(chID)]; len(ps) != 24 || ps[23].Start != now.Add(23*time.Hour).Unix() {
		t.Fatalf("get_epg_info period 96 gave %d programmes, want the 24 the guide has ahead", len(ps))
	}
	b.js(&info, "itv", "get_epg_info") // no period: Ministra's 3 hours
	if ps := info.Data[fmt.Sprint(chID)]; len(ps) < 3 || len(ps) > 4 {
		t.Fatalf("get_epg_info without period gave %d programmes, want 3 hours' worth", len(ps))
	}
}
