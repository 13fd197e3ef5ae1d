package flussonic

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-faster/jx"
)

// decodeStreamsPage decodes one page of GET /streams into page, giving the
// same result as json.Unmarshal(b, page) (the tests hold it to that) at a
// fraction of its cost: a poll of 200 streamers × 500 streams every few
// seconds spent most of its CPU in encoding/json's reflection, its
// validation pass, and the UnmarshalJSON calls of the flex types. The
// lexing is go-faster/jx's streaming decoder, which walks the bytes once
// and skips what health does not read without building anything; this file
// only maps the few fields health needs, and takes stream names through
// intern so a name already seen costs no allocation.
func decodeStreamsPage(b []byte, page *streamsPage, intern func([]byte) string) error {
	d := decoders.Get().(*jx.Decoder)
	defer func() {
		d.ResetBytes(nil) // do not pin the response body in the pool
		decoders.Put(d)
	}()
	d.ResetBytes(b)
	p := pageDecoder{intern: intern}
	err := object(d, pageKeys, func(d *jx.Decoder, key string) error {
		switch key {
		case "streams":
			return fill(d, &page.Streams, p.stream)
		default: // "next"
			return flex(d, &page.Next)
		}
	})
	if err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	switch err := d.Skip(); err {
	case io.EOF:
		return nil
	case nil:
		return errTrailing
	default:
		return fmt.Errorf("invalid JSON after the top-level value: %w", err)
	}
}

// decoders keeps jx's decoder, whose callbacks make it escape, from costing
// an allocation per page.
var decoders = sync.Pool{New: func() any { return new(jx.Decoder) }}

var errTrailing = errors.New("invalid JSON: data after the top-level value")

type pageDecoder struct{ intern func([]byte) string }

// object reads an object (or null, which leaves its target as it was, as
// encoding/json does), calling field with the name in keys that a key stands
// for and skipping the values of the other keys.
func object(d *jx.Decoder, keys []string, field func(d *jx.Decoder, key string) error) error {
	if d.Next() == jx.Null {
		return d.Null()
	}
	return d.ObjBytes(func(d *jx.Decoder, key []byte) error {
		if k := match(key, keys); k != "" {
			return field(d, k)
		}
		return d.Skip()
	})
}

// match returns the name of names that key stands for, or "". It matches
// as encoding/json matches a field name: exactly, or else without regard to
// case. Flussonic's keys are lower case, so the second pass runs only for
// keys with upper-case or non-ASCII bytes.
//
// jx hands over a key's raw bytes where encoding/json would have replaced
// invalid UTF-8 with U+FFFD, and unescapes a lone surrogate followed by a
// surrogate pair differently; neither can turn a key into or out of one of
// these ASCII names, so the keys matched are the same.
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

// fill reads an array (or null) into dst the way encoding/json fills a
// slice: element i is decoded over what dst already holds at i, and the
// slice ends at the last element read.
func fill[T any](d *jx.Decoder, dst *[]T, elem func(*jx.Decoder, *T) error) error {
	if d.Next() == jx.Null {
		return d.Null()
	}
	n := 0
	err := d.Arr(func(d *jx.Decoder) error {
		if n == len(*dst) {
			var zero T
			*dst = append(*dst, zero)
		}
		n++
		return elem(d, &(*dst)[n-1])
	})
	if err != nil {
		return err
	}
	*dst = (*dst)[:n]
	return nil
}

// flexDecoder is one of the flex types: it takes any raw JSON value.
type flexDecoder interface{ decode(raw []byte) }

// flex reads any value into f. jx's Raw is a slice of the page, checked.
func flex(d *jx.Decoder, f flexDecoder) error {
	raw, err := d.Raw()
	if err != nil {
		return err
	}
	f.decode(raw)
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
// decoder reads and nothing else of a stream's stats, which on a real
// streamer run to dozens of counters.
var streamFields = func() string {
	fields := []string{"name", "static"}
	for _, k := range statsKeys {
		fields = append(fields, "stats."+k)
	}
	return strings.Join(fields, ",")
}()

func (p pageDecoder) stream(d *jx.Decoder, w *wireStream) error {
	return object(d, streamKeys, func(d *jx.Decoder, key string) error {
		switch key {
		case "name":
			return p.name(d, w)
		case "static":
			return flex(d, &w.Static)
		default: // "stats"
			return stats(d, &w.Stats)
		}
	})
}

// name reads a stream's name. The string comes through flex.go's unquote,
// a slice of the page for the plain names Flussonic sends, encoding/json's
// unquoting otherwise: jx keeps invalid UTF-8 where encoding/json puts
// U+FFFD, and the name must be what encoding/json made of it.
func (p pageDecoder) name(d *jx.Decoder, w *wireStream) error {
	switch t := d.Next(); t {
	case jx.Null:
		return d.Null()
	case jx.String:
	default:
		return fmt.Errorf("stream name: want a string, got %s", t)
	}
	raw, err := d.Raw()
	if err != nil {
		return fmt.Errorf("stream name: %w", err)
	}
	v, ok := unquote(raw)
	if !ok {
		return fmt.Errorf("stream name: bad string %q", raw)
	}
	w.Name = p.intern(v)
	return nil
}

func stats(d *jx.Decoder, st *wireStreamStats) error {
	return object(d, statsKeys, func(d *jx.Decoder, key string) error {
		var f flexDecoder
		switch key {
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
		default: // "dvr_info"
			return dvrInfo(d, &st.DVRInfo)
		}
		return flex(d, f)
	})
}

func dvrInfo(d *jx.Decoder, di *wireDVRInfo) error {
	return object(d, dvrKeys, func(d *jx.Decoder, key string) error {
		switch key {
		case "from":
			return flex(d, &di.From)
		case "depth":
			return flex(d, &di.Depth)
		case "duration":
			return flex(d, &di.Duration)
		default: // "ranges"
			return fill(d, &di.Ranges, dvrRangeOf)
		}
	})
}

func dvrRangeOf(d *jx.Decoder, r *dvrRange) error {
	return object(d, rangeKeys, func(d *jx.Decoder, key string) error {
		switch key {
		case "from":
			return flex(d, &r.From)
		default: // "duration"
			return flex(d, &r.Duration)
		}
	})
}

// needsUnquote reports whether the contents of a JSON string hold an
// escape or invalid UTF-8, so that they are not their own value.
func needsUnquote(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c >= utf8.RuneSelf {
			return c == '\\' || !utf8.Valid(b)
		}
	}
	return false
}
