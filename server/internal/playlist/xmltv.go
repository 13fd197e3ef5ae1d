package playlist

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Programme is one guide entry for the XMLTV writer.
type Programme struct {
	Channel    string // the tvg-id it belongs to: Channel.EPGID, or TVGID of the channel
	Start      time.Time
	Stop       time.Time // required: Kodi drops a programme without stop (spec §3.2)
	Title      string
	SubTitle   string
	Desc       string
	Categories []string
	EpisodeNum string // xmltv_ns form, e.g. "0.41."
	IconURL    string
	Lang       string // one language for all texts, or empty (spec §3.2: Kodi takes the first)
}

// Programmes adapts a slice to the iterator WriteXMLTV takes.
func Programmes(ps []Programme) iter.Seq2[Programme, error] {
	return func(yield func(Programme, error) bool) {
		for _, p := range ps {
			if !yield(p, nil) {
				return
			}
		}
	}
}

// xmltvTime is the XMLTV time layout with the numeric offset every reader understands.
const xmltvTime = "20060102150405 -0700"

// WriteXMLTV streams an XMLTV guide to w: one <channel> per distinct tvg-id of channels
// (with every display name that shares it), then the programmes in the order given.
//
// The document starts with `<?xml` at byte 0 and writes times in UTC as
// `YYYYMMDDhhmmss +0000` (spec §3). Programmes of a channel not in channels, without a
// title, or without a stop after their start are skipped: players drop or misplace them.
// An error from the programme iterator stops the writing and is returned.
func WriteXMLTV(w io.Writer, channels []Channel, programmes iter.Seq2[Programme, error]) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	buf := append(make([]byte, 0, 4096), `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<tv generator-info-name="canale">`+"\n"...)
	ids := make(map[string]struct{})
	for _, c := range groupByTVGID(channels) {
		ids[c.id] = struct{}{}
		buf = appendChannel(buf, c)
	}
	if _, err := bw.Write(buf); err != nil {
		return fmt.Errorf("write xmltv channels: %w", err)
	}
	for p, err := range programmes {
		if err != nil {
			return fmt.Errorf("read programmes: %w", err)
		}
		p.Channel = cleanID(p.Channel)
		if _, ok := ids[p.Channel]; !ok || !writable(p) {
			continue
		}
		if _, err := bw.Write(appendProgramme(buf[:0], p)); err != nil {
			return fmt.Errorf("write xmltv programme: %w", err)
		}
	}
	if _, err := bw.WriteString("</tv>\n"); err != nil {
		return fmt.Errorf("write xmltv end: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("flush xmltv: %w", err)
	}
	return nil
}

// guideChannel is one <channel> element: a tvg-id and the names of all channels using it.
type guideChannel struct {
	id    string
	names []string
	icon  string
}

// groupByTVGID merges channels sharing a tvg-id (an HD and an SD variant showing one guide),
// keeping first-seen order, so each <channel id> appears once and carries a display-name
// equal to every M3U name that points at it (spec §3.3).
func groupByTVGID(channels []Channel) []*guideChannel {
	var out []*guideChannel
	byID := make(map[string]*guideChannel)
	for _, ch := range channels {
		id := TVGID(ch)
		c, ok := byID[id]
		if !ok {
			c = &guideChannel{id: id}
			byID[id] = c
			out = append(out, c)
		}
		if name := DisplayName(ch); name != "" && !slices.Contains(c.names, name) {
			c.names = append(c.names, name)
		}
		if c.icon == "" {
			c.icon = strings.TrimSpace(ch.LogoURL)
		}
	}
	return out
}

func appendChannel(buf []byte, c *guideChannel) []byte {
	buf = append(buf, `  <channel id="`...)
	buf = appendEscaped(buf, c.id)
	buf = append(buf, "\">\n"...)
	names := c.names
	if len(names) == 0 {
		names = []string{c.id} // the DTD requires one display-name
	}
	for _, n := range names {
		buf = appendElement(buf, "    ", "display-name", "", n)
	}
	if c.icon != "" {
		buf = appendIcon(buf, "    ", c.icon)
	}
	return append(buf, "  </channel>\n"...)
}

func writable(p Programme) bool {
	return strings.TrimSpace(p.Title) != "" && !p.Start.IsZero() && p.Stop.After(p.Start)
}

// appendProgramme appends one <programme>, children in DTD order.
func appendProgramme(buf []byte, p Programme) []byte {
	buf = append(buf, `  <programme start="`...)
	buf = p.Start.UTC().AppendFormat(buf, xmltvTime)
	buf = append(buf, `" stop="`...)
	buf = p.Stop.UTC().AppendFormat(buf, xmltvTime)
	buf = append(buf, `" channel="`...)
	buf = appendEscaped(buf, p.Channel)
	buf = append(buf, "\">\n"...)
	buf = appendElement(buf, "    ", "title", p.Lang, p.Title)
	if p.SubTitle != "" {
		buf = appendElement(buf, "    ", "sub-title", p.Lang, p.SubTitle)
	}
	if p.Desc != "" {
		buf = appendElement(buf, "    ", "desc", p.Lang, p.Desc)
	}
	for _, c := range p.Categories {
		buf = appendElement(buf, "    ", "category", p.Lang, c)
	}
	if p.IconURL != "" {
		buf = appendIcon(buf, "    ", p.IconURL)
	}
	if p.EpisodeNum != "" {
		buf = append(buf, `    <episode-num system="xmltv_ns">`...)
		buf = appendEscaped(buf, p.EpisodeNum)
		buf = append(buf, "</episode-num>\n"...)
	}
	return append(buf, "  </programme>\n"...)
}

// appendElement appends `<name lang="lang">text</name>`, without lang when it is empty.
func appendElement(buf []byte, indent, name, lang, text string) []byte {
	buf = append(buf, indent...)
	buf = append(buf, '<')
	buf = append(buf, name...)
	if lang != "" {
		buf = append(buf, ` lang="`...)
		buf = appendEscaped(buf, lang)
		buf = append(buf, '"')
	}
	buf = append(buf, '>')
	buf = appendEscaped(buf, text)
	buf = append(buf, "</"...)
	buf = append(buf, name...)
	return append(buf, ">\n"...)
}

func appendIcon(buf []byte, indent, src string) []byte {
	buf = append(buf, indent...)
	buf = append(buf, `<icon src="`...)
	buf = appendEscaped(buf, src)
	return append(buf, "\"/>\n"...)
}

// appendEscaped appends s escaped for both text and attribute values. Characters XML 1.0
// forbids (most control characters, invalid UTF-8) become U+FFFD, so a bad byte in one
// title cannot make the whole guide unreadable.
func appendEscaped(buf []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			buf = append(buf, "&amp;"...)
		case r == '<':
			buf = append(buf, "&lt;"...)
		case r == '>':
			buf = append(buf, "&gt;"...)
		case r == '"':
			buf = append(buf, "&quot;"...)
		case r == '\'':
			buf = append(buf, "&apos;"...)
		case r == '\t' || r == '\n' || r == '\r':
			buf = append(buf, "&#"...)
			buf = append(buf, byte('0'+r/10), byte('0'+r%10), ';')
		case !xmlChar(r) || (r == utf8.RuneError && size == 1):
			buf = append(buf, "\uFFFD"...)
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return buf
}

// xmlChar reports whether r is allowed in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
