package m3uimport

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds the channel import's playlist reader anything an operator
// may upload: it must not panic, every entry and bad line must be a line of
// the input, and what goes to the database is one-line UTF-8 (PostgreSQL
// refuses anything else, which would fail the whole import).
func FuzzParse(f *testing.F) {
	f.Add([]byte("#EXTM3U\n#EXTINF:-1 tvg-id=\"first.example\" tvg-name=\"first\" tvg-logo=\"http://x/1.png\" group-title=\"News\",First, the one\nhttp://x/first.m3u8\n"))
	f.Add([]byte("\uFEFF#EXTM3U\r\n#EXTINF:-1,Sport\r\n#EXTGRP:Sport\r\nudp://@239.0.0.1:1234\r\n"))
	f.Add([]byte("#EXTINF:-1 tvg-name=\"Caf\xe9\",Caf\xe9\nhttp://x/latin1\nhttp://orphan\n#EXTINF:-1 a=\"unterminated,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n")) + 1
		entries, bad, err := Parse(bytes.NewReader(data))
		if err != nil {
			return // a line over the limit
		}
		for _, e := range entries {
			c := e.Channel
			if e.Line < 1 || e.Line > lines || len(c.Sources) != 1 {
				t.Fatalf("entry %+v: want a line in 1..%d and one source", e, lines)
			}
			for _, s := range []string{c.Title, c.Name, c.LogoURL, e.Category, c.Sources[0].URL} {
				if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n\x00") {
					t.Fatalf("entry %+v: %q is not one line of UTF-8", e, s)
				}
			}
		}
		for _, b := range bad {
			if b.Line < 1 || b.Line > lines || !utf8.ValidString(b.Name) || strings.ContainsRune(b.Name, 0) {
				t.Fatalf("bad line %+v: want a line in 1..%d, a UTF-8 name", b, lines)
			}
		}
	})
}
