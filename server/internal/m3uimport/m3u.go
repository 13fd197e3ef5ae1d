// Package m3uimport reads M3U playlists into channels for the bulk import:
// #EXTINF attributes, titles, URLs, and stream names derived where the
// playlist has none.
package m3uimport

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"canale/server/internal/playlist"
	"canale/shared/api"

	"golang.org/x/text/encoding/charmap"
)

// Entry is one channel of a playlist, with the line of its #EXTINF.
type Entry struct {
	Line     int
	Category string // group-title, or #EXTGRP
	Channel  api.Channel
	Derived  bool // Name was derived from the title, not given as tvg-name
}

// maxLine bounds one playlist line; longer lines are reported, not read.
const maxLine = 64 << 10

// Parse reads a playlist. Lines it cannot use come back as errors with their
// 1-based line numbers; entries carry what could be read. Names are not yet
// unique: see Unique.
func Parse(r io.Reader) ([]Entry, []api.ImportLine, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	sc.Split(playlist.ScanLines)
	var entries []Entry
	var bad []api.ImportLine
	var cur *Entry
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(strings.TrimPrefix(text(sc.Bytes()), "\uFEFF"))
		switch {
		case line == "" || strings.HasPrefix(line, "#EXTM3U"):
		case strings.HasPrefix(line, "#EXTINF:"):
			if cur != nil {
				bad = append(bad, api.ImportLine{Line: cur.Line, Name: cur.Channel.Title, Reason: "#EXTINF without a URL"})
			}
			e := parseExtinf(n, line)
			cur = &e
		case strings.HasPrefix(line, "#EXTGRP:") && cur != nil && cur.Category == "":
			cur.Category = strings.TrimSpace(strings.TrimPrefix(line, "#EXTGRP:"))
		case strings.HasPrefix(line, "#"):
		case cur == nil:
			bad = append(bad, api.ImportLine{Line: n, Reason: "URL without a preceding #EXTINF"})
		default:
			cur.Channel.Sources = []api.Source{{URL: line, Priority: 1}}
			entries = append(entries, *cur)
			cur = nil
		}
	}
	if cur != nil {
		bad = append(bad, api.ImportLine{Line: cur.Line, Name: cur.Channel.Title, Reason: "#EXTINF without a URL"})
	}
	if err := sc.Err(); err != nil {
		return entries, bad, err
	}
	return entries, bad, nil
}

// text is a line as PostgreSQL takes it: UTF-8, with lines that are not
// read as Latin-1 (the usual other encoding of playlists), and no NUL.
func text(line []byte) string {
	s := string(line)
	if !utf8.ValidString(s) {
		s, _ = charmap.ISO8859_1.NewDecoder().String(s)
	}
	return strings.ReplaceAll(s, "\x00", "")
}

// parseExtinf reads `#EXTINF:-1 key="value" ...,Title`. The title starts at
// the first comma outside quotes, so commas inside attribute values (and in
// titles) survive.
func parseExtinf(n int, line string) Entry {
	attrs, title := splitExtinf(strings.TrimPrefix(line, "#EXTINF:"))
	e := Entry{Line: n, Category: attrs["group-title"]}
	c := &e.Channel
	c.Title = strings.TrimSpace(title)
	if c.Title == "" {
		c.Title = attrs["tvg-name"]
	}
	c.EPGChannelID = attrs["tvg-id"]
	c.LogoURL = attrs["tvg-logo"]
	c.Enabled = true
	if v, err := strconv.Atoi(attrs["tvg-chno"]); err == nil {
		c.Number = v
	}
	c.Name = attrs["tvg-name"]
	if !api.ValidStreamName(c.Name) {
		src := c.Name
		if src == "" {
			src = c.Title
		}
		c.Name, e.Derived = StreamName(src), true
	}
	return e
}

// splitExtinf returns the attributes (keys lower-cased) and the title.
func splitExtinf(s string) (map[string]string, string) {
	attrs := map[string]string{}
	i := 0
	for i < len(s) {
		switch {
		case s[i] == ',':
			return attrs, s[i+1:]
		case s[i] == '=' && i+1 < len(s) && s[i+1] == '"':
			key := lastWord(s[:i])
			end := strings.IndexByte(s[i+2:], '"')
			if end < 0 {
				return attrs, ""
			}
			attrs[strings.ToLower(key)] = strings.TrimSpace(s[i+2 : i+2+end])
			i += end + 3
			continue
		}
		i++
	}
	return attrs, ""
}

func lastWord(s string) string {
	s = strings.TrimRight(s, " ")
	return s[strings.LastIndexAny(s, " \t")+1:]
}
