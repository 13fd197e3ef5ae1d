package importxc

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRowValues feeds the XC import's column readers what an XC database
// may hold in a column (text, bytes, numbers): none may panic, text comes
// out as PostgreSQL takes it (UTF-8, no NUL, trimmed), numbers are finite,
// times after 1970 and before 6500, ids positive and unique, and a number written by PHP
// reads back as itself.
func FuzzRowValues(f *testing.F) {
	f.Add(`[1,"2",3,"x",2]`, 1.5, int64(42))
	f.Add(`["http:\/\/x\/1.png","b"]`, math.Copysign(0, -1), int64(-1))
	f.Add("1,2, 3", 1e300, int64(1<<62))
	f.Add(`{"movie_image":"http:\/\/x\/p.jpg","rating":"7.5"}`, 0.0, int64(0))
	f.Add("2024-10-24 20:00:00", 12.7, int64(1729800000))
	f.Add(" \x00caf\xe9 ", 0.0, int64(1<<40))
	f.Add(`"5"`, 5.0, int64(5))
	f.Add("null", 0.0, int64(0))
	f.Fuzz(func(t *testing.T, s string, fl float64, n int64) {
		r := row{"s": s, "b": []byte(s), "f": fl, "n": n, "ns": strconv.FormatInt(n, 10)}
		for _, col := range []string{"s", "b", "f", "n", "missing"} {
			if v := r.str(col); !utf8.ValidString(v) || strings.ContainsRune(v, 0) || v != strings.TrimSpace(v) {
				t.Fatalf("str(%s) of %q: got %q, want trimmed UTF-8 without NUL", col, r[col], v)
			}
			if v := r.float(col); math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("float(%s) of %q: got %v, want a finite number", col, r[col], v)
			}
			_ = r.int(col)
			_ = r.bool(col)
			_ = r.object(col)
			if tm, ok := r.unixTime(col); ok && (tm.Unix() <= 0 || tm.Year() > 6500) {
				t.Fatalf("unixTime(%s) of %q: got %v, want after 1970 and before 6500", col, r[col], tm)
			}
			for _, e := range r.strs(col) {
				if e == "" || e != strings.TrimSpace(e) || !utf8.ValidString(e) {
					t.Fatalf("strs(%s) of %q: element %q, want trimmed, non-empty UTF-8", col, r[col], e)
				}
			}
			seen := map[int64]bool{}
			for _, id := range r.ids(col) {
				if id <= 0 || seen[id] {
					t.Fatalf("ids(%s) of %q: got %v, want positive and unique", col, r[col], r.ids(col))
				}
				seen[id] = true
			}
		}
		if got := r.int("ns"); got != n {
			t.Fatalf("int of %q: got %d, want %d", r["ns"], got, n)
		}
		if n > 0 {
			list := "[" + strconv.FormatInt(n, 10) + `,"` + strconv.FormatInt(n, 10) + `"]`
			if got := (row{"l": list}).ids("l"); len(got) != 1 || got[0] != n {
				t.Fatalf("ids of %s: got %v, want [%d]", list, got, n)
			}
		}
	})
}
