package playlist

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"canale/server/internal/epg"
)

// m3uSeeds are playlists as providers and players write them (spec §1, §5).
var m3uSeeds = []string{
	"#EXTM3U url-tvg=\"http://x/epg.xml\"\n#EXTINF:-1 tvg-id=\"first.example\" tvg-name=\"First\" tvg-logo=\"http://x/1.png\" group-title=\"News\" tvg-chno=\"1\",First\nhttp://x/first/index.m3u8?token=t\n",
	"\uFEFF#EXTM3U\r\n#EXTINF:0,Plain\r\n#EXTGRP:Sport\r\nhttp://x/2.ts\r\n",
	"#EXTM3U\n#EXTINF:-1 catchup=\"flussonic\" catchup-days=\"7\" tvg-id=sport.hd,Sport, with \"comma\"\n#KODIPROP:mimetype=video/mp2t\nhttp://x/sport/mpegts\n",
	"#EXTINF:-1 tvg-name=\"Caf\xe9\",Caf\xe9\nhttp://x/latin1\n",
	"#EXTM3U\n#EXTINF:abc,Bad duration\nhttp://x\n#EXTINF:-1 tvg-id=\"unterminated,Broken\nhttp://y\nhttp://orphan\n#EXTINF:-1,Dangling\n",
	"#EXTM3U\n#EXTINF:-1 =\"x\",Empty key\nhttp://x\n#EXTINF:-1 a=b",
	"",
}

// FuzzParseM3U feeds ParseM3U anything: it must not panic, every entry must
// come from a line of the input with a one-line URL, and every bad line must
// be a line of the input, in order.
func FuzzParseM3U(f *testing.F) {
	for _, s := range m3uSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n")) + 1
		entries, err := ParseM3U(bytes.NewReader(data))
		var bad LineErrors
		if err != nil && !errors.As(err, &bad) {
			return // a line over the limit; nothing else can fail on a bytes.Reader
		}
		if len(entries) > lines {
			t.Fatalf("got %d entries from %d lines", len(entries), lines)
		}
		for _, e := range entries {
			if e.Line < 1 || e.Line > lines || e.URL == "" || strings.ContainsAny(e.URL, "\r\n") || !utf8.ValidString(e.Title) {
				t.Fatalf("entry %+v: want a line in 1..%d, a one-line URL and a UTF-8 title", e, lines)
			}
		}
		for i, le := range bad {
			if le.Line < 1 || le.Line > lines || (i > 0 && le.Line < bad[i-1].Line) {
				t.Fatalf("bad lines %v: want lines in 1..%d in order", bad, lines)
			}
		}
	})
}

// FuzzM3URoundTrip writes two channels made of arbitrary text with every
// player variant and reads the playlist back: it must parse without a bad
// line, and give back each written channel's name, tvg-id, group, number
// and URL.
func FuzzM3URoundTrip(f *testing.F) {
	f.Add("Первый канал", "first", "News", "http://x/1.png", "first.example", 1, 7, "http://x/first/index.m3u8?token=abc", "Sport - HD", "sport/hd")
	f.Add("A, \"quoted\" - name", "a", "Kids;Fun", "http://x/a b.png", "tvg-id=evil", 0, 0, "http://x/a/mpegts", "", "b")
	f.Add("\t\x00weird\u2028", "", "", "javascript:x", "", -5, 3, "  #not a url", "media=1", "catchup-days=9")
	f.Fuzz(func(t *testing.T, title, name, category, logo, epgID string, number, dvr int, streamURL, title2, name2 string) {
		chs := []Channel{
			{ID: 1, Name: name, Title: title, Number: number, Category: category, LogoURL: logo, EPGID: epgID,
				DVRDays: dvr, StreamURL: streamURL, CatchupSource: logo},
			{ID: 2, Name: name2, Title: title2, Number: number, StreamURL: streamURL + "2"},
		}
		for _, opts := range []M3UOptions{{FormatHLS, PlayerKodi}, {FormatTS, PlayerKodi}, {FormatHLS, PlayerGeneric},
			{FormatTS, PlayerVLC}} {
			var buf bytes.Buffer
			if err := WriteM3U(&buf, Playlist{EPGURL: logo}, chs, opts); err != nil {
				t.Fatal(err)
			}
			entries, err := ParseM3U(&buf)
			if err != nil {
				t.Fatalf("%+v: parse what WriteM3U wrote: %v\n%s", opts, err, buf.String())
			}
			want := writtenChannels(chs)
			if len(entries) != len(want) {
				t.Fatalf("%+v: got %d entries, want %d\n%s", opts, len(entries), len(want), buf.String())
			}
			numbers := assignNumbers(chs)
			for i, e := range entries {
				ch, n := want[i].ch, numbers[want[i].index]
				url, _ := cleanStreamURL(ch.StreamURL)
				if e.Title != DisplayName(ch) || e.TVGID != TVGID(ch) || e.URL != url ||
					e.Group != defuseKeys(cleanValue(ch.Category)) || (opts.Player != PlayerVLC && e.Number != n) {
					t.Fatalf("%+v: entry %d: got %+v, want name %q, tvg-id %q, group %q, number %d, url %q\n%s", opts, i, e,
						DisplayName(ch), TVGID(ch), cleanValue(ch.Category), n, url, buf.String())
				}
			}
		}
	})
}

type indexedChannel struct {
	ch    Channel
	index int
}

// writtenChannels is what WriteM3U keeps of chs: a usable URL, one of each
// name and URL.
func writtenChannels(chs []Channel) []indexedChannel {
	var out []indexedChannel
	seen := map[nameURL]bool{}
	for i, ch := range chs {
		url, ok := cleanStreamURL(ch.StreamURL)
		if !ok || seen[nameURL{DisplayName(ch), url}] {
			continue
		}
		seen[nameURL{DisplayName(ch), url}] = true
		out = append(out, indexedChannel{ch, i})
	}
	return out
}

// FuzzXMLTVRoundTrip writes a channel and a programme made of arbitrary text
// and reads the guide back with the EPG importer: the guide must parse with
// no warning, and the texts come back as written, with the characters XML
// cannot hold replaced.
func FuzzXMLTVRoundTrip(f *testing.F) {
	f.Add("first.example", "First", "Evening News", "Monday", "Headlines & weather", "News", "0.41.", "en", "http://x/1.png")
	f.Add("a<b>\"c'", "\x01\t\r\n", "  spaced  ", "", "]]> <![CDATA[", "", "", "", "")
	f.Add("ch\u00e9", "Caf\xe9", "\uFFFE\U0001F600", "\r\n", "&amp; &nbsp;", "a,b", "1.2.3", "x\"y", "a b")
	f.Fuzz(func(t *testing.T, id, name, title, subTitle, desc, category, episode, lang, icon string) {
		for _, s := range []string{id, name, title, subTitle, desc, category, episode, lang, icon} {
			if len(s) > 200 {
				return // past the importer's id and text caps, which cut and warn on purpose
			}
		}
		start := time.Date(2024, 10, 24, 20, 0, 0, 0, time.UTC)
		chs := []Channel{{ID: 1, Name: name, Title: name, EPGID: id, LogoURL: icon, StreamURL: "http://x/1"}}
		p := Programme{Channel: TVGID(chs[0]), Start: start, Stop: start.Add(time.Hour), Title: title,
			SubTitle: subTitle, Desc: desc, Categories: []string{category}, EpisodeNum: episode, Lang: lang, IconURL: icon}
		var buf bytes.Buffer
		if err := WriteXMLTV(&buf, chs, Programmes([]Programme{p})); err != nil {
			t.Fatal(err)
		}
		var got []epg.Item
		st, err := epg.Parse(context.Background(), bytes.NewReader(buf.Bytes()), func(it epg.Item) error {
			got = append(got, it)
			return nil
		})
		if err != nil || st.Warnings != 0 {
			t.Fatalf("parse what WriteXMLTV wrote: %v, warnings %v\n%s", err, st.Samples, buf.String())
		}
		wantItems := 1
		if writable(p) && xmlText(p.Channel) != "" {
			wantItems = 2
		}
		if len(got) != wantItems {
			t.Fatalf("got %d items, want %d\n%s", len(got), wantItems, buf.String())
		}
		if wantItems == 1 {
			return
		}
		gp := got[1].Programme
		if gp.Title != xmlText(title) || gp.SubTitle != xmlText(subTitle) || gp.Desc != xmlText(desc) ||
			!gp.Start.Equal(p.Start) || !gp.Stop.Equal(p.Stop) || gp.Channel != xmlText(p.Channel) {
			t.Fatalf("got %+v, want title %q, sub-title %q, desc %q\n%s", gp, xmlText(title), xmlText(subTitle),
				xmlText(desc), buf.String())
		}
	})
}

// xmlText is s as an XMLTV reader gets it back: characters XML 1.0 forbids
// replaced, surrounding space trimmed.
func xmlText(s string) string {
	return strings.TrimSpace(string(appendEscapedText(nil, s)))
}

// appendEscapedText is appendEscaped without the escaping, as a parser
// undoes it.
func appendEscapedText(buf []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r != '\t' && r != '\n' && r != '\r' && !xmlChar(r)) || (r == utf8.RuneError && size == 1) {
			r = utf8.RuneError
		}
		buf = utf8.AppendRune(buf, r)
		i += size
	}
	return buf
}
