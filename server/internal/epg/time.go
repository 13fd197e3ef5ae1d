package epg

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseTime parses an XMLTV time, `YYYYMMDDhhmmss ±hhmm`. It is liberal in what sources
// send: seconds, minutes or the whole time of day may be missing, the offset may be
// `±hh:mm` or `±hh`, with or without the space, or `Z`/`UTC`/`GMT`; with no zone at all
// the time is UTC, as the XMLTV DTD says. Named zones such as `BST` are rejected rather
// than guessed.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n != 8 && n != 10 && n != 12 && n != 14 {
		return time.Time{}, fmt.Errorf("parse XMLTV time %q: want 8 to 14 digits", s)
	}
	digits := s[:n] + "000000"[:14-n]
	loc, err := parseZone(strings.TrimSpace(s[n:]))
	if err != nil {
		return time.Time{}, fmt.Errorf("parse XMLTV time %q: %w", s, err)
	}
	part := func(i, j int) int { v, _ := strconv.Atoi(digits[i:j]); return v }
	y, mo, d, h, mi, sec := part(0, 4), part(4, 6), part(6, 8), part(8, 10), part(10, 12), part(12, 14)
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc)
	if t.Month() != time.Month(mo) || t.Day() != d || t.Hour() != h || t.Minute() != mi || t.Second() != sec {
		return time.Time{}, fmt.Errorf("parse XMLTV time %q: no such date or time", s)
	}
	return t, nil
}

// parseZone reads the offset after the digits.
func parseZone(z string) (*time.Location, error) {
	switch strings.ToUpper(z) {
	case "", "Z", "UTC", "GMT", "UT":
		return time.UTC, nil
	}
	if z[0] != '+' && z[0] != '-' {
		return nil, fmt.Errorf("zone %q is not a numeric offset", z)
	}
	hhmm := strings.ReplaceAll(z[1:], ":", "")
	if len(hhmm) == 2 {
		hhmm += "00"
	}
	if len(hhmm) != 4 {
		return nil, fmt.Errorf("zone %q is not ±hhmm", z)
	}
	h, errH := strconv.Atoi(hhmm[:2])
	m, errM := strconv.Atoi(hhmm[2:])
	if errH != nil || errM != nil || h > 14 || m > 59 {
		return nil, fmt.Errorf("zone %q is not ±hhmm", z)
	}
	offset := h*3600 + m*60
	if z[0] == '-' {
		offset = -offset
	}
	return time.FixedZone("", offset), nil
}
