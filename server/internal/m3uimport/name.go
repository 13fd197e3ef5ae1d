package m3uimport

import (
	"strconv"
	"strings"
)

// translit spells Cyrillic, Greek and accented Latin letters in ASCII, so a
// stream name derived from "Первый канал" reads "Pervyy_kanal".
var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "",
	'э': "e", 'ю': "yu", 'я': "ya", 'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u",
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i", 'κ': "k",
	'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t",
	'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "ae", 'å': "a", 'æ': "ae", 'ç': "c", 'è': "e", 'é': "e",
	'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o",
	'õ': "o", 'ö': "oe", 'ø': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "ue", 'ý': "y", 'ß': "ss", 'ğ': "g",
	'ı': "i", 'ş': "s", 'ł': "l", 'ń': "n", 'ś': "s", 'ź': "z", 'ż': "z", 'ą': "a", 'ę': "e", 'ć': "c",
	'č': "c", 'ř': "r", 'š': "s", 'ž': "z", 'ť': "t", 'ď': "d", 'ň': "n", 'ů': "u", 'ő': "o", 'ű': "u",
}

// StreamName derives a stream name ([a-zA-Z0-9_-], at most 64 characters)
// from a display name: letters are transliterated, everything else becomes
// one underscore. It returns "" when nothing usable is left.
func StreamName(title string) string {
	var b strings.Builder
	gap := false
	for _, r := range title {
		s, ok := asciiFor(r)
		if !ok {
			gap = b.Len() > 0
			continue
		}
		if gap {
			b.WriteByte('_')
			gap = false
		}
		b.WriteString(s)
	}
	name := b.String()
	if len(name) > 64 {
		name = strings.TrimRight(name[:64], "_-")
	}
	return name
}

func asciiFor(r rune) (string, bool) {
	switch {
	case r < 128 && (r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
		return string(r), true
	}
	lower := []rune(strings.ToLower(string(r)))[0]
	s, ok := translit[lower]
	if !ok || s == "" {
		return "", false
	}
	if lower != r { // keep capitals: Первый -> Pervyy
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s, true
}

// Unique makes a derived name unique against taken (names used earlier in
// the file) by appending _2, _3, ...; taken is updated. A derived name that
// is empty becomes channel_<line>. Names are compared exactly, as the
// database's unique index does.
func Unique(name string, line int, taken map[string]bool) string {
	if name == "" {
		name = "channel_" + strconv.Itoa(line)
	}
	if !taken[name] {
		taken[name] = true
		return name
	}
	for i := 2; ; i++ {
		suffix := "_" + strconv.Itoa(i)
		base := name
		if len(base)+len(suffix) > 64 {
			base = base[:64-len(suffix)]
		}
		if c := base + suffix; !taken[c] {
			taken[c] = true
			return c
		}
	}
}
