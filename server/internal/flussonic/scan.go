package flussonic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// decodeStreamsPage decodes one page of GET /streams into page, giving the
// same result as json.Unmarshal(b, page) (the tests hold it to that) at a
// fraction of its cost: a poll of 200 streamers × 500 streams every few
// seconds spent most of its CPU in encoding/json's reflection, its
// validation pass, and the UnmarshalJSON calls of the flex types. This
// walks the bytes once, looks at the few fields health needs, skips the rest
// without building anything, and takes stream names through intern so a
// name already seen costs no allocation.
func decodeStreamsPage(b []byte, page *streamsPage, intern func([]byte) string) error {
	s := scanner{b: b, intern: intern}
	s.ws()
	if s.null() {
		return s.end()
	}
	err := s.object(func(key []byte) error {
		switch match(key, pageKeys) {
		case "streams":
			return s.streams(&page.Streams)
		case "next":
			return s.flexString(&page.Next)
		}
		return s.skip()
	})
	if err != nil {
		return err
	}
	return s.end()
}

// scanner reads JSON from b at i. Every method leaves i after what it read.
type scanner struct {
	b      []byte
	i      int
	intern func([]byte) string
}

var errEnd = errors.New("unexpected end of JSON input")

func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", s.i, fmt.Sprintf(format, args...))
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// end accepts only whitespace after the top-level value.
func (s *scanner) end() error {
	s.ws()
	if s.i != len(s.b) {
		return s.errorf("data after the top-level value")
	}
	return nil
}

// null consumes a null literal if one is next (after whitespace).
func (s *scanner) null() bool {
	if bytes.HasPrefix(s.b[s.i:], []byte("null")) {
		s.i += 4
		return true
	}
	return false
}

// object reads {"key": value, ...}, calling field with each (unescaped)
// key while i stands at the value, which field must consume.
func (s *scanner) object(field func(key []byte) error) error {
	return s.list('{', '}', func() error {
		key, err := s.str()
		if err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) {
			return errEnd
		}
		if s.b[s.i] != ':' {
			return s.errorf("want ':'")
		}
		s.i++
		s.ws()
		return field(key)
	})
}

// array reads [value, ...], calling elem with i at each value.
func (s *scanner) array(elem func() error) error { return s.list('[', ']', elem) }

// list reads open, items separated by commas, and close; item reads one
// item, starting after any whitespace.
func (s *scanner) list(open, close byte, item func() error) error {
	if s.i >= len(s.b) {
		return errEnd
	}
	if s.b[s.i] != open {
		return s.errorf("want %q", open)
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == close {
		s.i++
		return nil
	}
	for {
		s.ws()
		if err := item(); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.b) {
			return errEnd
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case close:
			s.i++
			return nil
		default:
			return s.errorf("want ',' or %q", close)
		}
	}
}

// match returns the name of names that key stands for, or "". It matches
// as encoding/json matches a field name: exactly, or else without regard to
// case. Flussonic's keys are lower case, so the second pass runs only for
// keys with upper-case or non-ASCII bytes.
func match(key []byte, names []string) string {
	for _, n := range names {
		if len(n) == len(key) && n[0] == key[0] && string(key) == n {
			return n
		}
	}
	for _, c := range key {
		if c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			for _, n := range names {
				if bytes.EqualFold(key, []byte(n)) {
					return n
				}
			}
			return ""
		}
	}
	return ""
}

// str reads a string and returns its unescaped bytes. Without escapes or
// invalid UTF-8 (every name Flussonic sends) they are a slice of the input;
// otherwise encoding/json unescapes them, as it would have.
func (s *scanner) str() ([]byte, error) {
	raw, plain, err := s.rawString()
	if err != nil {
		return nil, err
	}
	inner := raw[1 : len(raw)-1]
	if plain || !needsUnquote(inner) {
		return inner, nil
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, s.errorf("bad string: %v", err)
	}
	return []byte(v), nil
}

func needsUnquote(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c >= utf8.RuneSelf {
			return c == '\\' || !utf8.Valid(b)
		}
	}
	return false
}

// plainByte holds the bytes a string may hold as they are: not the quote,
// the backslash, a control character, or part of a multi-byte character.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// rawString reads a string and returns it with its quotes, escapes intact;
// plain reports that it holds only plain bytes, so is its own value.
func (s *scanner) rawString() (raw []byte, plain bool, err error) {
	if s.i >= len(s.b) {
		return nil, false, errEnd
	}
	if s.b[s.i] != '"' {
		return nil, false, s.errorf("want a string")
	}
	start := s.i
	s.i++
	plain = true
	for s.i < len(s.b) {
		for s.i < len(s.b) && plainByte[s.b[s.i]] {
			s.i++
		}
		if s.i >= len(s.b) {
			break
		}
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return s.b[start:s.i], plain, nil
		case c == '\\':
			plain = false
			if s.i+1 >= len(s.b) {
				return nil, false, errEnd
			}
			switch s.b[s.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i += 2
			case 'u':
				if s.i+6 > len(s.b) {
					return nil, false, errEnd
				}
				for _, h := range s.b[s.i+2 : s.i+6] {
					if !isHex(h) {
						return nil, false, s.errorf("bad \\u escape")
					}
				}
				s.i += 6
			default:
				return nil, false, s.errorf("bad escape")
			}
		case c < 0x20:
			return nil, false, s.errorf("control character in string")
		default: // a byte of a multi-byte character: str checks the UTF-8
			plain = false
			s.i++
		}
	}
	return nil, false, errEnd
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// raw reads any value and returns its bytes.
func (s *scanner) raw() ([]byte, error) {
	start := s.i
	if err := s.skip(); err != nil {
		return nil, err
	}
	return s.b[start:s.i], nil
}

// skip reads any value, checking its syntax, and keeps nothing of it.
func (s *scanner) skip() error {
	if s.i >= len(s.b) {
		return errEnd
	}
	switch s.b[s.i] {
	case '{':
		return s.object(func([]byte) error { return s.skip() })
	case '[':
		return s.array(s.skip)
	case '"':
		_, _, err := s.rawString()
		return err
	}
	return s.literal()
}

// literal reads true, false, null or a number.
func (s *scanner) literal() error {
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'E' {
			s.i++
			continue
		}
		break
	}
	switch lit := s.b[start:s.i]; {
	case len(lit) == 0:
		if s.i >= len(s.b) {
			return errEnd
		}
		return s.errorf("unexpected %q", s.b[s.i])
	case string(lit) == "true", string(lit) == "false", string(lit) == "null", isNumber(lit):
		return nil
	}
	s.i = start
	return s.errorf("bad literal")
}

// isNumber reports whether b is a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func isNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

// streams reads the streams array.
func (s *scanner) streams(dst *[]wireStream) error { return fill(s, dst, s.stream) }

// fill reads an array (or null) into dst the way encoding/json fills a
// slice: element i is decoded over what dst already holds at i, and the
// slice ends at the last element read.
func fill[T any](s *scanner, dst *[]T, elem func(*T) error) error {
	if s.null() {
		return nil
	}
	n := 0
	err := s.array(func() error {
		if n == len(*dst) {
			var zero T
			*dst = append(*dst, zero)
		}
		n++
		return elem(&(*dst)[n-1])
	})
	if err != nil {
		return err
	}
	*dst = (*dst)[:n]
	return nil
}

// The keys each object decoded here reads; the rest are skipped.
var (
	pageKeys   = []string{"streams", "next"}
	streamKeys = []string{"name", "static", "stats"}
	statsKeys  = []string{"status", "running", "alive", "ts_delay", "online_clients", "client_count", "clients",
		"bitrate", "input_bitrate", "output_bitrate", "input_error_rate", "input_errors", "retry_count", "dvr_info"}
	dvrKeys   = []string{"from", "depth", "duration", "ranges"}
	rangeKeys = []string{"from", "duration"}
)

// streamFields is the select= projection for Streams: the fields the
// scanner reads and nothing else of a stream's stats, which on a real
// streamer run to dozens of counters.
var streamFields = func() string {
	fields := []string{"name", "static"}
	for _, k := range statsKeys {
		fields = append(fields, "stats."+k)
	}
	return strings.Join(fields, ",")
}()

func (s *scanner) stream(w *wireStream) error {
	if s.null() {
		return nil
	}
	return s.object(func(key []byte) error {
		switch match(key, streamKeys) {
		case "name":
			if s.null() {
				return nil
			}
			v, err := s.str()
			if err != nil {
				return err
			}
			w.Name = s.intern(v)
			return nil
		case "static":
			return s.flex(&w.Static)
		case "stats":
			return s.stats(&w.Stats)
		}
		return s.skip()
	})
}

func (s *scanner) stats(st *wireStreamStats) error {
	if s.null() {
		return nil
	}
	return s.object(func(key []byte) error {
		var f flexDecoder
		switch match(key, statsKeys) {
		case "status":
			f = &st.Status
		case "running":
			f = &st.Running
		case "alive":
			f = &st.Alive
		case "ts_delay":
			f = &st.TSDelay
		case "online_clients":
			f = &st.OnlineClients
		case "client_count":
			f = &st.ClientCount
		case "clients":
			f = &st.Clients
		case "bitrate":
			f = &st.Bitrate
		case "input_bitrate":
			f = &st.InputBitrate
		case "output_bitrate":
			f = &st.OutputBitrate
		case "input_error_rate":
			f = &st.InputErrorRate
		case "input_errors":
			f = &st.InputErrors
		case "retry_count":
			f = &st.RetryCount
		case "dvr_info":
			return s.dvrInfo(&st.DVRInfo)
		default:
			return s.skip()
		}
		return s.flex(f)
	})
}

func (s *scanner) dvrInfo(d *wireDVRInfo) error {
	if s.null() {
		return nil
	}
	return s.object(func(key []byte) error {
		switch match(key, dvrKeys) {
		case "from":
			return s.flex(&d.From)
		case "depth":
			return s.flex(&d.Depth)
		case "duration":
			return s.flex(&d.Duration)
		case "ranges":
			return s.ranges(&d.Ranges)
		}
		return s.skip()
	})
}

// ranges reads dvr_info.ranges.
func (s *scanner) ranges(dst *[]dvrRange) error {
	return fill(s, dst, func(r *dvrRange) error {
		if s.null() {
			return nil
		}
		return s.object(func(key []byte) error {
			switch match(key, rangeKeys) {
			case "from":
				return s.flex(&r.From)
			case "duration":
				return s.flex(&r.Duration)
			}
			return s.skip()
		})
	})
}

// flexDecoder is one of the flex types: it takes any raw JSON value.
type flexDecoder interface{ decode(raw []byte) }

func (s *scanner) flex(f flexDecoder) error {
	raw, err := s.raw()
	if err != nil {
		return err
	}
	f.decode(raw)
	return nil
}

func (s *scanner) flexString(f *flexString) error { return s.flex(f) }
