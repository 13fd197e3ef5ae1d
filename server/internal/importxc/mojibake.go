package importxc

import (
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// cp1252 maps the characters Windows-1252 puts at 0x80-0x9F back to their
// byte. MySQL's "latin1" is Windows-1252, so UTF-8 text written through a
// latin1 connection reads back with these where its continuation bytes
// were ("â€™" for "’").
var cp1252 = func() map[rune]byte {
	m := map[rune]byte{}
	for b := 0x80; b <= 0x9F; b++ {
		if r := charmap.Windows1252.DecodeByte(byte(b)); r != utf8.RuneError {
			m[r] = byte(b)
		}
	}
	return m
}()

// repairMojibake undoes one round of double encoding: UTF-8 bytes that
// were read as latin1 and stored again as UTF-8 ("PremiÃ¨re" for
// "Première"). It decides per value, and only when the value, mapped back
// to bytes, is valid UTF-8 that holds a multi-byte character; anything else
// (true Latin-1 text such as "Première", or text outside Latin-1) is
// returned unchanged. ok reports whether it repaired.
func repairMojibake(s string) (string, bool) {
	high := false
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			high = true
			break
		}
	}
	if !high {
		return s, false
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x100:
			b = append(b, byte(r))
		case cp1252[r] != 0:
			b = append(b, cp1252[r])
		default:
			return s, false // a character latin1 cannot hold: not mojibake
		}
	}
	if !utf8.Valid(b) || string(b) == s {
		return s, false
	}
	return string(b), true
}
