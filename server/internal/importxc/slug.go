package importxc

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gosimple/unidecode"
)

// maxNameLen keeps stream names short enough for URLs and file names on
// the streamers.
const maxNameLen = 48

// slugify turns a display name into a stream name matching
// ^[a-zA-Z0-9_-]+$ (lower case), or "" when nothing usable is left. Every
// script is spelled in ASCII first (unidecode's tables: "Первый канал" is
// "pervyi_kanal", "中央电视台" "zhong_yang_dian_shi_tai"), so a channel
// named with no Latin letter still gets a name a person can read.
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
	for _, c := range strings.ToLower(unidecode.Unidecode(title)) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			put(string(c))
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
type names struct{ holder map[string]int64 } // name → id of the stream that has it

// unique returns the stream name for title, and why it is not title's own
// slug when it is not ("" when it is).
func (n *names) unique(title, fallback string, id int64) (name, why string) {
	if n.holder == nil {
		n.holder = map[string]int64{}
	}
	base := slugify(title)
	if base == "" {
		base = fallback
		why = "its title has no letter or digit to spell a name with"
	}
	name = base
	for i := 0; ; i++ {
		holder, taken := n.holder[name]
		if !taken {
			break
		}
		if i == 0 {
			why = fmt.Sprintf("%q is the name of stream %d", name, holder)
		}
		suffix := "_" + strconv.FormatInt(id, 10)
		if i > 0 {
			suffix += "_" + strconv.Itoa(i)
		}
		name = base[:min(len(base), maxNameLen)] + suffix
	}
	n.holder[name] = id
	return name, why
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
