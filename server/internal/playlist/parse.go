package playlist

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Entry is one channel read from an extended M3U playlist.
type Entry struct {
	Line     int               // line number of the #EXTINF (or of the URL when there is none)
	Title    string            // the name after the attributes
	TVGID    string            // tvg-id (or tvg-ID)
	TVGName  string            // tvg-name
	Logo     string            // tvg-logo
	Group    string            // group-title, else the open #EXTGRP
	Number   int               // tvg-chno (or ch-number); 0 when absent or not a number
	URL      string            // the stream URL line
	Attrs    map[string]string // every attribute of the #EXTINF, catch-up ones included
	KodiProp []string          // #KODIPROP values ("key=value"), in order
}

// LineError is a line of a playlist that could not be used.
type LineError struct {
	Line int
	Msg  string
}

// Error returns "line N: message".
func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// LineErrors lists the bad lines of a playlist; ParseM3U returns it along with the entries
// it could read, so an import can take the good channels and report the rest.
type LineErrors []LineError

// Error returns the first bad line and how many more there are.
func (e LineErrors) Error() string {
	if len(e) == 1 {
		return e[0].Error()
	}
	return fmt.Sprintf("%s (and %d more bad lines)", e[0].Error(), len(e)-1)
}

// maxLineBytes bounds one playlist line; real lines are well under 4 KiB.
const maxLineBytes = 1 << 20

// ParseM3U reads an extended M3U playlist. Like pvr.iptvsimple it tolerates a BOM, CRLF,
// blank lines, unknown # lines and a missing #EXTM3U; text that is not UTF-8 is read as
// Latin-1. Lines it cannot use are returned as LineErrors next to the good entries; any
// other error (reading r, a line over 1 MiB) is returned alone.
func ParseM3U(r io.Reader) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	sc.Split(ScanLines)
	p := m3uParser{}
	for sc.Scan() {
		p.line(sc.Text())
	}
	if err := sc.Err(); err != nil {
		return p.entries, fmt.Errorf("read playlist after line %d: %w", p.n, err)
	}
	p.finish()
	if len(p.errs) > 0 {
		return p.entries, p.errs
	}
	return p.entries, nil
}

// ScanLines is a bufio.SplitFunc for playlists: it splits at LF, CRLF and a
// lone CR (old Mac files), so no line handed on holds a CR and no URL keeps one.
func ScanLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	i := bytes.IndexAny(data, "\r\n")
	switch {
	case i < 0 && atEOF && len(data) > 0:
		return len(data), data, nil
	case i < 0:
		return 0, nil, nil
	case data[i] == '\n':
		return i + 1, data[:i], nil
	case i+1 < len(data) && data[i+1] == '\n':
		return i + 2, data[:i], nil
	case i+1 < len(data) || atEOF:
		return i + 1, data[:i], nil
	}
	return 0, nil, nil // a CR at the end of the buffer: an LF may follow
}

// m3uParser holds the state between lines: the pending #EXTINF and the open #EXTGRP.
type m3uParser struct {
	n       int
	started bool
	pending *Entry
	extgrp  string
	entries []Entry
	errs    LineErrors
}

func (p *m3uParser) line(s string) {
	p.n++
	if !utf8.ValidString(s) {
		s = latin1ToUTF8(s)
	}
	s = strings.TrimRight(strings.TrimLeft(s, " \t"), " \t\r\n")
	if s == "" {
		return
	}
	if !p.started {
		p.started = true
		s = strings.TrimPrefix(s, "\uFEFF")
		if strings.HasPrefix(s, "#EXTM3U") {
			return
		}
		p.fail("missing #EXTM3U header")
	}
	switch {
	case strings.HasPrefix(s, "#EXTINF:"):
		p.extinf(s)
	case strings.HasPrefix(s, "#KODIPROP:"):
		if p.pending != nil {
			p.pending.KodiProp = append(p.pending.KodiProp, strings.TrimPrefix(s, "#KODIPROP:"))
		}
	case strings.HasPrefix(s, "#EXTGRP:"):
		p.extgrp = strings.TrimSpace(strings.TrimPrefix(s, "#EXTGRP:"))
	case strings.HasPrefix(s, "#"):
		// Other directives and comments carry nothing Canale imports.
	default:
		p.url(s)
	}
}

func (p *m3uParser) extinf(s string) {
	if p.pending != nil {
		p.errs = append(p.errs, LineError{p.pending.Line, "#EXTINF without a stream URL"})
	}
	e, err := parseExtinf(s)
	if err != nil {
		p.pending = nil
		p.fail(err.Error())
		return
	}
	e.Line = p.n
	p.pending = &e
}

func (p *m3uParser) url(s string) {
	if p.pending == nil {
		p.fail("stream URL without #EXTINF")
		return
	}
	e := *p.pending
	p.pending = nil
	e.URL = s
	if e.Group == "" {
		e.Group = p.extgrp
	}
	p.entries = append(p.entries, e)
}

func (p *m3uParser) finish() {
	if p.pending != nil {
		p.errs = append(p.errs, LineError{p.pending.Line, "#EXTINF without a stream URL"})
	}
	if !p.started {
		p.errs = append(p.errs, LineError{1, "empty playlist"})
	}
	// A dangling #EXTINF is noticed only at the next one; report in line order.
	slices.SortStableFunc(p.errs, func(a, b LineError) int { return a.Line - b.Line })
}

func (p *m3uParser) fail(msg string) { p.errs = append(p.errs, LineError{p.n, msg}) }

// parseExtinf reads `#EXTINF:<duration> key="value" key=value ...,Title`. A quoted value
// may hold spaces and commas; the first comma outside quotes starts the title.
func parseExtinf(s string) (Entry, error) {
	rest := strings.TrimPrefix(s, "#EXTINF:")
	i := strings.IndexAny(rest, " \t,")
	if i < 0 {
		return Entry{}, errors.New("#EXTINF without a comma before the title")
	}
	if _, err := strconv.ParseFloat(rest[:i], 64); err != nil {
		return Entry{}, fmt.Errorf("#EXTINF duration %q is not a number", rest[:i])
	}
	attrs, title, err := parseAttrs(rest[i:])
	if err != nil {
		return Entry{}, err
	}
	return entryFromAttrs(attrs, title), nil
}

// parseAttrs reads attributes up to the title comma.
func parseAttrs(s string) (map[string]string, string, error) {
	attrs := make(map[string]string)
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return nil, "", errors.New("#EXTINF without a comma before the title")
		}
		if s[0] == ',' {
			return attrs, strings.TrimSpace(s[1:]), nil
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || strings.ContainsAny(s[:eq], " \t,\"") {
			return nil, "", fmt.Errorf("malformed attribute near %q", clip(s))
		}
		key, v := s[:eq], s[eq+1:]
		value, rest, err := attrValue(v)
		if err != nil {
			return nil, "", fmt.Errorf("attribute %s: %w", key, err)
		}
		attrs[key] = value
		s = rest
	}
}

// attrValue reads a quoted value up to its closing quote, or an unquoted one up to the next
// space or comma, and returns the rest of the line.
func attrValue(v string) (value, rest string, err error) {
	if strings.HasPrefix(v, `"`) {
		end := strings.IndexByte(v[1:], '"')
		if end < 0 {
			return "", "", errors.New("unterminated quote")
		}
		return v[1 : 1+end], v[2+end:], nil
	}
	end := strings.IndexAny(v, " \t,")
	if end < 0 {
		return "", "", errors.New("no comma before the title")
	}
	return v[:end], v[end:], nil
}

func entryFromAttrs(attrs map[string]string, title string) Entry {
	e := Entry{Title: title, Attrs: attrs}
	e.TVGID = firstAttr(attrs, "tvg-id", "tvg-ID")
	e.TVGName = attrs["tvg-name"]
	e.Logo = attrs["tvg-logo"]
	e.Group = attrs["group-title"]
	if n, err := strconv.Atoi(firstAttr(attrs, "tvg-chno", "ch-number")); err == nil && n > 0 {
		e.Number = n
	}
	if e.Title == "" {
		e.Title = e.TVGName
	}
	return e
}

func firstAttr(attrs map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := attrs[k]; v != "" {
			return v
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}

// latin1ToUTF8 reads s as ISO-8859-1, the usual encoding of non-UTF-8 playlists.
func latin1ToUTF8(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}
