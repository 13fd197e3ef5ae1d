package flussonic

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Streamers of different versions send the same figure as a number, a
// numeric string or null, and flags as booleans, strings or 0/1. These types
// accept all of those so one odd field never fails a whole poll. Each
// decodes any raw JSON value; encoding/json reaches that through
// UnmarshalJSON, the streams page decoder (scan.go) directly.

// flexNumber is a JSON number that may arrive as a string; null and
// unparseable values decode as absent.
type flexNumber struct {
	V   float64
	Set bool
}

func (n *flexNumber) UnmarshalJSON(b []byte) error {
	n.decode(b)
	return nil
}

func (n *flexNumber) decode(b []byte) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var ok bool
		if b, ok = unquote(b); !ok {
			return
		}
	}
	switch string(b) {
	case "true":
		n.V, n.Set = 1, true
		return
	case "false":
		n.V, n.Set = 0, true
		return
	}
	if v, ok := smallInt(b); ok {
		n.V, n.Set = v, true
		return
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return
	}
	n.V, n.Set = v, true
}

func (n flexNumber) int64() int64 { return int64(n.V) }

// smallInt parses the figures streamers mostly send, integers of up to 15
// digits (exact in a float64), faster than strconv.ParseFloat; anything
// else, -0 included, is left to it.
func smallInt(b []byte) (float64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	switch {
	case neg && v == 0:
		return 0, false
	case neg:
		v = -v
	}
	return float64(v), true
}

// flexBool is a flag that may arrive as a boolean, "true"/"false", or 0/1.
type flexBool struct {
	V   bool
	Set bool
}

func (f *flexBool) UnmarshalJSON(b []byte) error {
	f.decode(b)
	return nil
}

func (f *flexBool) decode(b []byte) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var ok bool
		if b, ok = unquote(b); !ok {
			return
		}
	}
	switch string(b) {
	case "true", "1":
		f.V, f.Set = true, true
	case "false", "0":
		f.V, f.Set = false, true
	}
}

// flexString is a string that may arrive as a number or a boolean (older
// builds sent "running" as a boolean where newer ones send a status string).
type flexString struct {
	V   string
	Set bool
}

func (f *flexString) UnmarshalJSON(b []byte) error {
	f.decode(b)
	return nil
}

func (f *flexString) decode(b []byte) {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return
	}
	if len(b) > 0 && b[0] == '"' {
		v, ok := unquote(b)
		if !ok {
			return
		}
		f.V, f.Set = constString(v), true
		return
	}
	f.V, f.Set = constString(b), true
}

// constString returns b as a string, without allocating for the values a
// poll sees on every stream.
func constString(b []byte) string {
	switch string(b) {
	case StatusRunning:
		return StatusRunning
	case StatusWaiting:
		return StatusWaiting
	case StatusError:
		return StatusError
	case "true":
		return "true"
	case "false":
		return "false"
	case "":
		return ""
	}
	return string(b)
}

// unquote returns the contents of the JSON string b, as encoding/json reads
// it; a slice of b when there is nothing to unescape or replace.
func unquote(b []byte) ([]byte, bool) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && !needsUnquote(b[1:len(b)-1]) &&
		bytes.IndexByte(b[1:len(b)-1], '"') < 0 && !hasControl(b[1:len(b)-1]) {
		return b[1 : len(b)-1], true
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, false
	}
	return []byte(s), true
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

// first returns the first value that is set, so a newer field name wins
// over an older one without losing the older one when it is all we have.
func first(ns ...flexNumber) flexNumber {
	for _, n := range ns {
		if n.Set {
			return n
		}
	}
	return flexNumber{}
}
