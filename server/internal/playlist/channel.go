package playlist

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Channel is one live channel as a subscriber's playlist shows it. The HTTP surface fills it
// from the read model; URLs are already complete for this subscriber (token included).
type Channel struct {
	ID            int64  // Canale's channel id; the fallback for a stable tvg-id
	Name          string // Flussonic stream name, e.g. "first" or "sport/hd"
	Title         string // what players show; Name is used when empty
	Number        int    // tvg-chno; 0 or a duplicate gets the next free number
	Category      string // group-title
	LogoURL       string // absolute tvg-logo URL
	EPGID         string // tvg-id and XMLTV <channel id>; "ch<ID>" when empty
	DVRDays       int    // catch-up window in days; 0 means no catch-up
	StreamURL     string // the live URL line
	CatchupSource string // explicit catch-up template (see FlussonicURLs); empty lets players derive it
}

// Playlist is the #EXTM3U header of a playlist.
type Playlist struct {
	// EPGURL is written as both url-tvg and x-tvg-url, because Kodi reads x-tvg-url first
	// and other players read either name (spec §1.3, §5.4).
	EPGURL string
}

// TVGID returns the tvg-id the M3U writes for ch and the <channel id> the XMLTV writes, so
// the two always match. It depends only on EPGID and ID, so it is stable across refreshes.
func TVGID(ch Channel) string {
	if id := cleanID(ch.EPGID); id != "" {
		return id
	}
	return "ch" + strconv.FormatInt(ch.ID, 10)
}

// cleanID is the sanitising shared by tvg-ids and the channel references of programmes.
func cleanID(id string) string { return defuseKeys(cleanValue(id)) }

// DisplayName returns the channel name the M3U writes after the comma and the XMLTV writes
// as the first display-name. It has no `"` and no `,`, and ` - ` becomes ` – `, because
// Kodi cannot escape quotes and VLC splits titles on commas and on ` - ` (spec §5.1).
func DisplayName(ch Channel) string {
	t := ch.Title
	if strings.TrimSpace(t) == "" {
		t = ch.Name
	}
	t = strings.ReplaceAll(cleanValue(t), " - ", " – ")
	return defuseKeys(t)
}

// kodiKeys are the attribute names pvr.iptvsimple finds by substring search for `key=`
// anywhere in the attribute text (spec §1.2). `media` also matches in the channel name.
var kodiKeys = []string{
	"tvg-id", "tvg-ID", "tvg-name", "tvg-logo", "tvg-chno", "ch-number", "tvg-shift", "tvg-rec",
	"group-title", "radio", "catchup", "catchup-type", "catchup-days", "catchup-source",
	"catchup-correction", "timeshift", "provider", "provider-type", "provider-logo",
	"provider-countries", "provider-languages", "media", "media-dir", "media-size", "realtime",
}

// cleanValue makes s safe as a quoted M3U value or a name: valid UTF-8, no control
// characters, no `"`, no `,`, no `;` (Kodi's group separator), single spaces.
func cleanValue(s string) string {
	if isClean(s) {
		return s // the common case, without allocating
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r == ',' || r == ';' || unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// isClean reports whether cleanValue would return s unchanged, looking only at ASCII bytes
// and leaving anything unusual to the slow path.
func isClean(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' || strings.Contains(s, "  ") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' {
			return false
		}
	}
	return true
}

// defuseKeys breaks every `key=` of a known Kodi key in text into `key =`, which Kodi's
// substring search no longer matches, while a reader still sees the same words.
func defuseKeys(s string) string {
	if !containsKey(s) {
		return s
	}
	for _, k := range kodiKeys {
		s = strings.ReplaceAll(s, k+"=", k+" =")
	}
	return s
}

// containsKey reports whether s contains `key=` for a known Kodi key.
func containsKey(s string) bool {
	for i := strings.IndexByte(s, '='); i >= 0; {
		for _, k := range kodiKeys {
			if strings.HasSuffix(s[:i], k) {
				return true
			}
		}
		next := strings.IndexByte(s[i+1:], '=')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

// cleanURL makes u safe as a quoted attribute value. It percent-encodes the characters a
// value must not hold and reports false when u contains a known `key=`, which would be
// read as that attribute (a logo with `?media=1` turns a channel into a recording), or
// when nothing is left.
func cleanURL(u string) (string, bool) {
	u = strings.TrimSpace(u)
	if u == "" || !utf8.ValidString(u) || containsKey(u) {
		return "", false
	}
	if !strings.ContainsAny(u, "\", ") {
		return u, !hasControl(u)
	}
	var b strings.Builder
	for _, r := range u {
		switch {
		case r == '"':
			b.WriteString("%22")
		case r == ',':
			b.WriteString("%2C")
		case r == ' ':
			b.WriteString("%20")
		case unicode.IsControl(r):
			return "", false
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// cleanStreamURL makes the URL line safe: one line, not a comment, UTF-8 (bytes that are
// not, and control characters, are percent-encoded, as a player would send them). It
// reports false when nothing usable is left, and the entry is then skipped, because an
// #EXTINF without its URL would swallow the next channel's URL.
func cleanStreamURL(u string) (string, bool) {
	u = strings.TrimSpace(u)
	if u == "" || strings.HasPrefix(u, "#") || strings.ContainsAny(u, "\r\n") {
		return "", false
	}
	if utf8.ValidString(u) && !hasControl(u) {
		return u, true
	}
	var b strings.Builder
	for i := 0; i < len(u); {
		r, size := utf8.DecodeRuneInString(u[i:])
		if (r == utf8.RuneError && size == 1) || unicode.IsControl(r) {
			for _, c := range []byte(u[i : i+size]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		} else {
			b.WriteString(u[i : i+size])
		}
		i += size
	}
	return b.String(), true
}
