package epg

import (
	"bytes"
	"context"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds the XMLTV parser anything, plain and gzipped: it must not
// panic, must hand on only items that hold what the parser promises (an id,
// a start before the stop, a title, texts within their caps, valid UTF-8),
// and its counts must match what it handed on.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sampleGuide))
	f.Add(gzipped(f, []byte(sampleGuide)))
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><tv><channel id="a"><display-name>T` + "\xe9" + `l` + "\xe9" + `</display-name></channel></tv>`))
	f.Add([]byte(`<tv><programme start="2024102420 +01:30" stop="20241024210000Z" channel="a"><title>&nbsp;&amp;</title></programme></tv>`))
	f.Add([]byte(`<tv><programme start="20240230000000" channel="a"><title>no such day</title></programme><a><b><c/></b></a></tv>trailing`))
	f.Add([]byte(`<!DOCTYPE tv [<!ENTITY x "y">]><tv><channel id="&x;"/></tv>`))
	f.Add([]byte("\xfd7zXZ\x00"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var channels, programmes int
		p := Parser{MaxBytes: 1 << 20, MaxElementBytes: 64 << 10} // small, so a mutated gzip seed cannot inflate for minutes
		st, err := p.Parse(context.Background(), bytes.NewReader(data), func(it Item) error {
			switch {
			case it.Channel != nil && it.Programme == nil:
				channels++
				checkChannel(t, it.Channel)
			case it.Programme != nil && it.Channel == nil:
				programmes++
				checkProgramme(t, it.Programme)
			default:
				t.Fatalf("item %+v: want exactly one of channel and programme", it)
			}
			return nil
		})
		if err == nil && (st.Channels != channels || st.Programmes != programmes) {
			t.Fatalf("stats %+v, handed on %d channels, %d programmes", st, channels, programmes)
		}
		if len(st.Samples) > maxSamples || len(st.Samples) > st.Warnings || st.Bytes > int64(len(data)) {
			t.Fatalf("stats %+v of %d input bytes: samples past their bound", st, len(data))
		}
	})
}

func checkChannel(t *testing.T, c *Channel) {
	if c.ID == "" || len(c.ID) > maxIDBytes || len(c.DisplayNames) > maxRepeated || len(c.IconURL) > maxURLBytes {
		t.Fatalf("channel %+v: id, names or icon past their bounds", c)
	}
	for _, n := range c.DisplayNames {
		checkText(t, n, maxTextBytes)
	}
}

func checkProgramme(t *testing.T, p *Programme) {
	if p.Channel == "" || len(p.Channel) > maxIDBytes || p.Start.IsZero() || (!p.Stop.IsZero() && !p.Stop.After(p.Start)) {
		t.Fatalf("programme %+v: want a channel, a start, and a stop after it when there is one", p)
	}
	if len(p.Categories) > maxRepeated || len(p.EpisodeNums) > maxRepeated || len(p.IconURL) > maxURLBytes {
		t.Fatalf("programme %+v: lists or icon past their bounds", p)
	}
	if p.Title == "" {
		t.Fatalf("programme %+v without title", p)
	}
	for _, s := range []string{p.Title, p.SubTitle, p.Lang} {
		checkText(t, s, maxTextBytes)
	}
	checkText(t, p.Desc, maxDescBytes)
	for _, c := range p.Categories {
		checkText(t, c, maxTextBytes)
	}
}

func checkText(t *testing.T, s string, max int) {
	if len(s) > max || !utf8.ValidString(s) {
		t.Fatalf("text %q: want valid UTF-8 of at most %d bytes", s, max)
	}
}
