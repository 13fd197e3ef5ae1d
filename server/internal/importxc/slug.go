package importxc

import (
	"strconv"
	"strings"
)

// maxNameLen keeps stream names short enough for URLs and file names on
// the streamers.
const maxNameLen = 48

// translit spells common non-ASCII letters in ASCII, so "Первый канал HD"
// becomes "pervyj_kanal_hd" rather than "channel_17". Anything not listed
// is dropped.
var translit = func() map[rune]string {
	m := map[rune]string{}
	add := func(from, to string) {
		tos := strings.Split(to, " ")
		for i, r := range []rune(from) {
			m[r] = tos[i]
		}
	}
	add("àáâãäåāăą", "a a a a a a a a a")
	add("çćĉċč", "c c c c c")
	add("ďđ", "d d")
	add("èéêëēĕėęě", "e e e e e e e e e")
	add("ĝğġģ", "g g g g")
	add("ìíîïĩīĭįı", "i i i i i i i i i")
	add("ñńņňł", "n n n n l")
	add("òóôõöøōŏő", "o o o o o o o o o")
	add("ŕřśŝşšţťŧ", "r r s s s s t t t")
	add("ùúûüũūŭůűų", "u u u u u u u u u u")
	add("ýÿžźż", "y y z z z")
	add("ßæœþð", "ss ae oe th d")
	add("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "a b v g d e e zh z i j k l m n o p r s t u f h c ch sh shch _ y _ e yu ya")
	add("іїєґ", "i yi ye g")
	add("αβγδεζηθικλμνξοπρσςτυφχψω", "a b g d e z i th i k l m n x o p r s s t y f ch ps o")
	return m
}()

// slugify turns a display name into a stream name matching
// ^[a-zA-Z0-9_-]+$ (lower case), or "" when nothing usable is left.
func slugify(title string) string {
	var b strings.Builder
	lastSep := true
	put := func(s string) {
		for _, c := range s {
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				b.WriteRune(c)
				lastSep = false
			case c == '_' || c == '-':
				if !lastSep {
					b.WriteByte('_')
					lastSep = true
				}
			}
		}
	}
	for _, c := range strings.ToLower(title) {
		switch {
		case c < 0x80 && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9'):
			put(string(c))
		case translit[c] != "":
			put(translit[c])
		case c == '+':
			put("plus")
		default:
			put("_")
		}
	}
	s := strings.Trim(b.String(), "_")
	if len(s) > maxNameLen {
		s = strings.TrimRight(s[:maxNameLen], "_")
	}
	return s
}

// names hands out unique stream names. A taken name gets the XC id
// appended, which is unique among streams, so a name is always found.
type names struct{ taken map[string]bool }

func (n *names) unique(title, fallback string, id int64) (name string, renamed bool) {
	if n.taken == nil {
		n.taken = map[string]bool{}
	}
	base := slugify(title)
	if base == "" {
		base = fallback
	}
	name = base
	for i := 0; n.taken[name]; i++ {
		suffix := "_" + strconv.FormatInt(id, 10)
		if i > 0 {
			suffix += "_" + strconv.Itoa(i)
		}
		name = base[:min(len(base), maxNameLen)] + suffix
		renamed = true
	}
	n.taken[name] = true
	return name, renamed
}

// labels hands out unique display names (case-insensitive, as the
// database's unique indexes compare them): "Sports", "Sports (2)".
type labels struct{ taken map[string]bool }

func (l *labels) unique(name string) (string, bool) {
	if l.taken == nil {
		l.taken = map[string]bool{}
	}
	out := name
	for i := 2; l.taken[strings.ToLower(out)]; i++ {
		out = name + " (" + strconv.Itoa(i) + ")"
	}
	l.taken[strings.ToLower(out)] = true
	return out, out != name
}
