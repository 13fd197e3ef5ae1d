package stalker

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// queryValue is the first value of key in a raw query string, as
// url.ParseQuery would decode it, without building the whole map.
func queryValue(raw, key string) (string, bool) {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if k, v, ok := decodePair(pair); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// maxQueryPairs bounds the parameters a portal call is read for; a box
// sends about twenty (get_profile's are the most).
const maxQueryPairs = 64

// queryPair is one parameter: its key decoded, its value as sent when
// escaped is set (decoded on use: a call reads a few of its parameters).
type queryPair struct {
	key, value string
	escaped    bool
}

// decoded is the pair's value, unescaped.
func (p queryPair) decoded() string {
	if !p.escaped {
		return p.value
	}
	v, _ := url.QueryUnescape(p.value) // checked by appendQuery
	return v
}

// appendDecoded appends the pair's value, unescaped, to dst without
// building a string.
func (p queryPair) appendDecoded(dst []byte) []byte {
	if !p.escaped {
		return append(dst, p.value...)
	}
	for i := 0; i < len(p.value); i++ {
		switch c := p.value[i]; c {
		case '+':
			dst = append(dst, ' ')
		case '%':
			dst = append(dst, unhex(p.value[i+1])<<4|unhex(p.value[i+2]))
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// appendQuery appends the parameters of a raw query to dst, in order, as
// url.ParseQuery reads them (a pair with a malformed escape is dropped);
// dst's room is reused, so a request with a dozen parameters parses
// without allocating. It stops at maxQueryPairs: the query is read before
// any check of the caller, and decoding all of a 60 KiB query of 15,000
// parameters cost 2.2 MB.
func appendQuery(dst []queryPair, raw string) []queryPair {
	for raw != "" && len(dst) < maxQueryPairs {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(pair, "=")
		if escaped(k) {
			var err error
			if k, err = url.QueryUnescape(k); err != nil {
				continue
			}
		}
		esc := escaped(v)
		if esc && !validEscapes(v) {
			continue
		}
		dst = append(dst, queryPair{key: k, value: v, escaped: esc})
	}
	return dst
}

// validEscapes reports whether every '%' in s starts a two-digit hex
// escape, as url.QueryUnescape requires.
func validEscapes(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i+2 >= len(s) || !ishex(s[i+1]) || !ishex(s[i+2]) {
				return false
			}
			i += 2
		}
	}
	return true
}

func ishex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// decodePair splits and unescapes "key=value"; a malformed escape drops
// the pair, as url.ParseQuery does.
func decodePair(pair string) (key, value string, ok bool) {
	k, v, _ := strings.Cut(pair, "=")
	var err error
	if escaped(k) {
		if k, err = url.QueryUnescape(k); err != nil {
			return "", "", false
		}
	}
	if escaped(v) {
		if v, err = url.QueryUnescape(v); err != nil {
			return "", "", false
		}
	}
	return k, v, true
}

// escaped reports whether s holds a '%' or '+' that unescaping changes.
func escaped(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' || s[i] == '+' {
			return true
		}
	}
	return false
}

// firstHeader is the first value of the header key, which must be in
// canonical form: net/http stores parsed headers so, and indexing the map
// spares canonicalizing the key again on every call (Header.Get does).
func firstHeader(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// rawCookie is the value of the cookie name as sent, quotes removed.
func rawCookie(h http.Header, name string) string {
	for _, line := range h["Cookie"] {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && k == name {
				return strings.Trim(v, `"`)
			}
		}
	}
	return ""
}

// escapedMAC decodes a MAC cookie in the form boxes send it,
// "00%3A1A%3A79%3A12%3A34%3A56" (upper-case hex), into api.NormalizeMAC's
// form in mac, reporting whether raw had that form: a box sends its
// cookie on every call, and decoding it by QueryUnescape cost a string.
func escapedMAC(raw string, mac *[17]byte) bool {
	if len(raw) != 27 {
		return false
	}
	for i, j := 0, 0; i < 27; {
		if i%5 == 2 {
			if raw[i:i+3] != "%3A" && raw[i:i+3] != "%3a" {
				return false
			}
			mac[j] = ':'
			i, j = i+3, j+1
			continue
		}
		c := raw[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return false
		}
		mac[j] = c
		i, j = i+1, j+1
	}
	return true
}

// appendJSONString appends s as a JSON string the way an encoder with
// SetEscapeHTML(false) writes it: control characters escaped, invalid
// UTF-8 as U+FFFD, and U+2028 and U+2029 escaped for JavaScript.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
