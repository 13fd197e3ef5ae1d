package playlist

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"canale/server/internal/epg"

	"github.com/google/go-cmp/cmp"
)

// TestXMLTVRoundTrip writes a guide and reads it back with the importer: every channel and
// every programme the writer keeps must come back with the same data.
func TestXMLTVRoundTrip(t *testing.T) {
	chs := fixtureChannels(FormatHLS)
	progs := fixtureProgrammes()
	var buf bytes.Buffer
	if err := WriteXMLTV(&buf, chs, Programmes(progs)); err != nil {
		t.Fatalf("WriteXMLTV: %v", err)
	}
	var got []epg.Item
	st, err := epg.Parse(context.Background(), &buf, func(it epg.Item) error {
		got = append(got, it)
		return nil
	})
	if err != nil {
		t.Fatalf("epg.Parse: %v", err)
	}
	if st.Warnings != 0 {
		t.Errorf("got warnings %v, want none", st.Samples)
	}
	var want []epg.Item
	for _, c := range groupByTVGID(chs) {
		want = append(want, epg.Item{Channel: &epg.Channel{ID: c.id, DisplayNames: c.names, IconURL: c.icon}})
	}
	for _, p := range progs[:4] { // the rest are left out on purpose
		want = append(want, epg.Item{Programme: expectedProgramme(p)})
	}
	sameInstant := cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
	if diff := cmp.Diff(want, got, sameInstant); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// expectedProgramme is p as the importer reads it back: control characters replaced,
// the episode number tagged xmltv_ns.
func expectedProgramme(p Programme) *epg.Programme {
	e := &epg.Programme{
		Channel: cleanID(p.Channel), Start: p.Start, Stop: p.Stop,
		Title: strings.ReplaceAll(p.Title, "\x01", "\uFFFD"), SubTitle: p.SubTitle, Desc: p.Desc,
		Lang: p.Lang, Categories: p.Categories, IconURL: p.IconURL,
	}
	if p.EpisodeNum != "" {
		e.EpisodeNums = []epg.EpisodeNum{{System: "xmltv_ns", Value: p.EpisodeNum}}
	}
	return e
}
