package epg

import (
	"bufio"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Limits on what a guide may make the parser hold. A guide comes from a
// stranger's server: a few KB of gzip can inflate to terabytes, and one
// element can be a gigabyte of text that encoding/xml would gather whole.
const (
	// MaxGuideXMLBytes bounds a guide's decompressed size; the largest real
	// guides are around a gigabyte.
	MaxGuideXMLBytes = 8 << 30
	// MaxElementBytes bounds one child of <tv> (a channel or programme, with
	// its tags) and any one token between them; real ones are a few KB.
	MaxElementBytes = 1 << 20

	maxTextBytes = 1 << 10  // a title, sub-title, display name, category, episode number
	maxDescBytes = 16 << 10 // a description
	maxURLBytes  = 2 << 10  // an icon's URL
	maxIDBytes   = 256      // a channel id; an id cut short would name another channel, so such an item is skipped
	maxRepeated  = 32       // display names, categories, episode numbers kept per item
)

// ErrElementTooLarge is returned by Parse for an element longer than
// MaxElementBytes (or the Parser's own limit).
var ErrElementTooLarge = errors.New("guide element is larger than the limit")

// limitReader is the byte source of the XML decoder. It fails once more than
// total bytes have been read in all, or more than window bytes since the last
// mark; encoding/xml reads an io.ByteReader byte by byte without buffering of
// its own, so the count is exact and nothing past a limit is held.
type limitReader struct {
	r             *bufio.Reader
	n, mark, stop int64 // stop is the nearer of the two limits
	total, window int64
}

func (l *limitReader) err() error {
	if l.n >= l.total {
		return fmt.Errorf("more than %d bytes decompressed: %w", l.total, ErrTooLarge)
	}
	if l.n-l.mark >= l.window {
		return fmt.Errorf("an element or text of more than %d bytes: %w", l.window, ErrElementTooLarge)
	}
	return nil
}

// ReadByte implements io.ByteReader.
func (l *limitReader) ReadByte() (byte, error) {
	if l.n >= l.stop {
		return 0, l.err()
	}
	b, err := l.r.ReadByte()
	if err == nil {
		l.n++
	}
	return b, err
}

// Read implements io.Reader, for the charset decoders and the final drain.
func (l *limitReader) Read(p []byte) (int, error) {
	if l.n >= l.stop {
		return 0, l.err()
	}
	if room := l.stop - l.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// start begins a new element or token: the window counts from here.
func (l *limitReader) start() { l.mark, l.stop = l.n, min(l.total, l.n+l.window) }

// clip returns s cut to at most max bytes on a character boundary, and
// whether it was cut.
func clip(s string, max int) (string, bool) {
	if len(s) <= max {
		return s, false
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut], true
}

// cutter clips an item's texts and remembers which fields it cut, so the
// parse can report them.
type cutter struct{ fields []string }

func (c *cutter) clip(field, s string, max int) string {
	s, cut := clip(s, max)
	if cut {
		c.note(field)
	}
	return s
}

func (c *cutter) note(field string) {
	for _, f := range c.fields {
		if f == field {
			return
		}
	}
	c.fields = append(c.fields, field)
}
