package m3uimport

import (
	"strings"
	"testing"
)

func TestStreamName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Первый канал", "Pervyy_kanal"},
		{"BBC One HD", "BBC_One_HD"},
		{"  Ça va / ÖRF 2 ", "Ca_va_OeRF_2"},
		{"Канал 1, HD", "Kanal_1_HD"},
		{"★★★", ""},
		{"a-b_c", "a-b_c"},
		{strings.Repeat("x", 80), strings.Repeat("x", 64)},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := StreamName(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseExtinf(t *testing.T) {
	in := "#EXTM3U\n#EXTINF:-1 tvg-id=\"a.b\" tvg-name=\"News, 24\" tvg-logo=\"http://x/l.png\" group-title=\"Info\" tvg-chno=\"7\",News, Twenty-Four\nhttp://x/1\n"
	entries, bad, err := Parse(strings.NewReader(in))
	if err != nil || len(bad) != 0 || len(entries) != 1 {
		t.Fatalf("got %+v %+v %v", entries, bad, err)
	}
	e := entries[0]
	c := e.Channel
	if e.Line != 2 || c.Title != "News, Twenty-Four" || c.Name != "News_24" || !e.Derived || c.EPGChannelID != "a.b" ||
		c.Number != 7 || e.Category != "Info" || c.LogoURL != "http://x/l.png" || c.Sources[0].URL != "http://x/1" {
		t.Errorf("got %+v", e)
	}
}

func TestPrepareDerivesUniqueNames(t *testing.T) {
	in := "#EXTINF:-1,Sport\nhttp://x/1\n#EXTINF:-1,Sport\nhttp://x/2\n#EXTINF:-1 tvg-name=\"Sport_2\",Given\nhttp://x/3\n"
	entries, bad, _ := Parse(strings.NewReader(in))
	entries, bad = Prepare(entries, bad)
	var names []string
	for _, e := range entries {
		names = append(names, e.Channel.Name)
	}
	if got := strings.Join(names, ","); got != "Sport,Sport_3,Sport_2" || len(bad) != 0 {
		t.Errorf("got %s (bad %v), want Sport,Sport_3,Sport_2: a given name keeps its own", got, bad)
	}
}
