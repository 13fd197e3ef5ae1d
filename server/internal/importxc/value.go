package importxc

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// row is one MySQL row by column name. Values are nil, int64, float64,
// time.Time or string, whatever the driver and the panel version chose; the
// accessors below read them the way XC's PHP did (loosely), because XC
// tables are full of numbers in text columns and JSON in varchar.
type row map[string]any

// has reports whether the table has the column at all (versions differ).
func (r row) has(col string) bool {
	_, ok := r[col]
	return ok
}

// str is the column as text: NUL bytes dropped and invalid UTF-8 replaced,
// since PostgreSQL rejects both and a stray byte in a title must not stop
// the whole import.
func (r row) str(col string) string {
	var s string
	switch v := r[col].(type) {
	case nil:
		return ""
	case string:
		s = v
	case []byte:
		s = string(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case time.Time:
		return v.UTC().Format(time.RFC3339)
	default:
		s = fmt.Sprint(v)
	}
	s = strings.ReplaceAll(s, "\x00", "")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.TrimSpace(s)
}

// int is the column as an integer: "12", "12.0", 12.7 (truncated), "" and
// junk (0), true/false as 1/0.
func (r row) int(col string) int64 {
	switch v := r[col].(type) {
	case int64:
		return v
	case float64:
		return clampFloat(v)
	case time.Time:
		return v.Unix()
	}
	return parseInt(r.str(col))
}

func parseInt(s string) int64 {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return clampFloat(f)
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return 1
	}
	return 0
}

func clampFloat(f float64) int64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return int64(max(min(f, math.MaxInt64/2), math.MinInt64/2))
}

// float is the column as a float, 0 when it is not a number.
func (r row) float(col string) float64 {
	switch v := r[col].(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	}
	f, err := strconv.ParseFloat(strings.Trim(r.str(col), `"`), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func (r row) bool(col string) bool { return r.int(col) != 0 }

// unixTime is an XC "int unix or NULL" column; zero and negative mean none.
// DATETIME columns (some versions) come as time.Time or text.
func (r row) unixTime(col string) (time.Time, bool) {
	if t, ok := r[col].(time.Time); ok {
		return t, !t.IsZero() && t.Year() > 1970
	}
	s := r.str(col)
	if t, err := time.Parse(time.DateTime, s); err == nil {
		return t.UTC(), t.Year() > 1970
	}
	n := parseInt(s)
	if n <= 0 || n > 1<<37 { // past year 6000: junk
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}

// jsonList decodes a JSON-in-text list the way XC writes them: '[1,"2"]',
// '["a"]', ” or NULL (empty), a bare scalar ('5', '"x"'), or a comma
// separated string. Elements come back as text.
func jsonList(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" || s == "[]" || s == `""` {
		return nil
	}
	var raw []any
	if err := unmarshalNumbers(s, &raw); err != nil {
		var one any
		if unmarshalNumbers(s, &one) == nil {
			raw = []any{one}
		} else {
			for p := range strings.SplitSeq(unescapePHP(s), ",") {
				raw = append(raw, p)
			}
		}
	}
	var out []string
	for _, v := range raw {
		var t string
		switch v := v.(type) {
		case nil:
			continue
		case string:
			t = v
		case json.Number:
			t = numberText(v)
		case []any, map[string]any:
			continue // nested structure: not a list element XC writes
		default:
			t = fmt.Sprint(v)
		}
		if t = strings.TrimSpace(unescapePHP(t)); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// unmarshalNumbers is json.Unmarshal keeping numbers as written, so an id
// past 2^53 is not rounded on its way through float64.
func unmarshalNumbers(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if strings.TrimSpace(s[dec.InputOffset():]) != "" {
		return errors.New("text after the JSON value")
	}
	return nil
}

// numberText is an integer as written, any other number as PHP prints it
// ("3.0" is "3").
func numberText(n json.Number) string {
	if _, err := n.Int64(); err == nil {
		return n.String()
	}
	if f, err := n.Float64(); err == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return n.String()
}

// unescapePHP undoes PHP's json_encode slash escaping when the text was not
// decoded as JSON (escaped slashes left in a plain string).
func unescapePHP(s string) string { return strings.ReplaceAll(s, `\/`, "/") }

// strs is a JSON list column as strings.
func (r row) strs(col string) []string { return jsonList(r.str(col)) }

// ids is a JSON list column of ids; elements that are not positive integers
// are dropped, duplicates keep their first position.
func (r row) ids(col string) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, s := range r.strs(col) {
		n := parseInt(s)
		if n > 0 && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// object decodes a JSON object column ({} when it is anything else).
func (r row) object(col string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(r.str(col)), &m); err != nil || m == nil {
		return map[string]any{}
	}
	return m
}

// field reads a value of a decoded JSON object as text.
func field(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(unescapePHP(v))
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		if len(v) > 0 {
			return field(map[string]any{"": v[0]}, "")
		}
		return ""
	default:
		return fmt.Sprint(v)
	}
}
