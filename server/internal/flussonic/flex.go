package flussonic

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Streamers of different versions send the same figure as a number, a
// numeric string or null, and flags as booleans, strings or 0/1. These types
// accept all of those so one odd field never fails a whole poll.

// flexNumber is a JSON number that may arrive as a string; null and
// unparseable values decode as absent.
type flexNumber struct {
	V   float64
	Set bool
}

func (n *flexNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		b = []byte(s)
	}
	switch string(b) {
	case "true":
		n.V, n.Set = 1, true
		return nil
	case "false":
		n.V, n.Set = 0, true
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return nil
	}
	n.V, n.Set = v, true
	return nil
}

func (n flexNumber) int64() int64 { return int64(n.V) }

// flexBool is a flag that may arrive as a boolean, "true"/"false", or 0/1.
type flexBool struct {
	V   bool
	Set bool
}

func (f *flexBool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		b = []byte(s)
	}
	switch string(b) {
	case "true", "1":
		f.V, f.Set = true, true
	case "false", "0":
		f.V, f.Set = false, true
	}
	return nil
}

// flexString is a string that may arrive as a number or a boolean (older
// builds sent "running" as a boolean where newer ones send a status string).
type flexString struct {
	V   string
	Set bool
}

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &f.V); err != nil {
			return nil
		}
		f.Set = true
		return nil
	}
	f.V, f.Set = string(b), true
	return nil
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
