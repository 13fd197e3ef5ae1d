package playlist

import (
	"bytes"
	"math/rand/v2"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileChannels adds to the fixture values built to break players: known `key=` inside
// URLs and names, quotes, tabs and newlines, invalid UTF-8, an empty title.
func hostileChannels(f Format) []Channel {
	chs := fixtureChannels(f)
	live, _ := FlussonicURLs("https://edge2.example.net", "evil", "T", f)
	chs = append(chs,
		Channel{ID: 20, Name: "evil", Title: "Social media=1 \"tvg-id=x\"", Number: 20,
			Category: "radio=true,tvg-chno=5", LogoURL: "https://x.example/l.png?tvg-id=bad",
			EPGID: "catchup-days=9", DVRDays: 2, StreamURL: live,
			CatchupSource: "https://edge2.example.net/evil/archive-{utc}-{duration}.m3u8?radio=1"},
		Channel{ID: 21, Name: "tabs", Title: "Tab\there\nnewline\x00nul", Number: 21,
			Category: "Bad\xffUTF8", StreamURL: live + "&x=21"},
		Channel{ID: 22, Name: "untitled", StreamURL: live + "&x=22", DVRDays: 1},
		Channel{ID: 23, Name: "comment", Title: "Comment URL", StreamURL: "#EXTINF:-1,evil"},
	)
	return chs
}

// variants are every playlist form Canale serves.
var variants = []M3UOptions{
	{Format: FormatHLS, Player: PlayerKodi}, {Format: FormatTS, Player: PlayerKodi},
	{Format: FormatHLS, Player: PlayerGeneric}, {Format: FormatTS, Player: PlayerGeneric},
	{Format: FormatHLS, Player: PlayerVLC}, {Format: FormatTS, Player: PlayerVLC},
}

func variantName(o M3UOptions) string {
	return []string{"kodi", "generic", "vlc"}[o.Player] + "_" + o.Format.String()
}

// writtenPlaylist is a playlist written from the hostile line-up and read back both by our
// parser and line by line, for the rules to inspect.
type writtenPlaylist struct {
	raw      string
	lines    []string
	extinfs  []string
	entries  []Entry
	channels []Channel
}

func writeHostile(t *testing.T, opts M3UOptions) writtenPlaylist {
	t.Helper()
	chs := hostileChannels(opts.Format)
	var buf bytes.Buffer
	if err := WriteM3U(&buf, fixtureHeader, chs, opts); err != nil {
		t.Fatalf("WriteM3U: %v", err)
	}
	entries, err := ParseM3U(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("ParseM3U of our own output: %v", err)
	}
	p := writtenPlaylist{raw: buf.String(), entries: entries, channels: chs}
	p.lines = strings.Split(strings.TrimSuffix(p.raw, "\n"), "\n")
	for _, l := range p.lines {
		if strings.HasPrefix(l, "#EXTINF:") {
			p.extinfs = append(p.extinfs, l)
		}
	}
	if len(p.extinfs) != len(entries) || len(entries) == 0 {
		t.Fatalf("got %d #EXTINF lines and %d entries, want equal and non-zero", len(p.extinfs), len(entries))
	}
	return p
}

// kodiSplit splits an #EXTINF line the way pvr.iptvsimple does (spec §1.4): attributes
// between the first ':' and the name comma, which is the last comma, or the comma right
// after the last '"'.
func kodiSplit(line string) (attrs, name string) {
	colon := strings.IndexByte(line, ':')
	comma := strings.LastIndexByte(line, ',')
	if q := strings.LastIndexByte(line, '"'); q >= 0 {
		if after := strings.TrimLeft(line[q+1:], " \t"); strings.HasPrefix(after, ",") {
			comma = len(line) - len(after)
		}
	}
	return line[colon+1 : comma], strings.TrimSpace(line[comma+1:])
}

// kodiMarker finds an attribute the way pvr.iptvsimple does (spec §1.2): the first
// substring `key=`, then a quoted value up to the next quote or a bare one up to a space.
func kodiMarker(attrs, key string) (string, bool) {
	i := strings.Index(attrs, key+"=")
	if i < 0 {
		return "", false
	}
	v := attrs[i+len(key)+1:]
	if strings.HasPrefix(v, `"`) {
		end := strings.IndexByte(v[1:], '"')
		return v[1 : 1+end], true
	}
	if end := strings.IndexByte(v, ' '); end >= 0 {
		return v[:end], true
	}
	return v, true
}

// vlcTitle is what VLC takes as the title: everything after the first comma (spec §5.1).
func vlcTitle(line string) string {
	return line[strings.IndexByte(line, ',')+1:]
}

var quotedAttrs = regexp.MustCompile(`^-1( [a-z-]+="[^",]*")*$`)

// TestKodiRules checks, for every variant, each generator rule of specs/kodi-m3u.md §0 and
// §5.4 that the M3U writer is responsible for, on a line-up built to break them.
func TestKodiRules(t *testing.T) {
	rules := []struct {
		name  string
		check func(t *testing.T, p writtenPlaylist, opts M3UOptions)
	}{
		{"UTF8NoBOMLFAndEXTM3UAtByte0", ruleEncoding},
		{"HeaderCarriesOnlyEPGURLUnderBothNames", ruleHeader},
		{"EveryAttributeQuotedWithoutQuoteOrComma", ruleQuoted},
		{"KodiReadsEveryAttributeBack", ruleKodiReadsBack},
		{"NoMediaKeyAnywhereInEXTINF", ruleNoMedia},
		{"CommaInTitleDoesNotSplit", ruleTitle},
		{"TVGIDPresentOnEveryEntry", ruleTVGIDPresent},
		{"NoDuplicateNameAndURL", ruleUniqueNameURL},
		{"UniqueTVGChno", ruleUniqueChno},
		{"CatchupAttributesOnEveryDVREntry", ruleCatchup},
		{"NoForbiddenTagsOrAttributes", ruleForbidden},
		{"MPEGTSHasKodiMimetype", ruleMimetype},
		{"FlussonicModeURLHasStreamNameAndFile", ruleFlussonicShape},
		{"URLLinesAreStreamURLs", ruleURLLines},
	}
	for _, opts := range variants {
		t.Run(variantName(opts), func(t *testing.T) {
			p := writeHostile(t, opts)
			for _, r := range rules {
				t.Run(r.name, func(t *testing.T) { r.check(t, p, opts) })
			}
		})
	}
}

func ruleEncoding(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	if !strings.HasPrefix(p.raw, "#EXTM3U") {
		t.Errorf("got start %q, want #EXTM3U at byte 0", p.raw[:min(10, len(p.raw))])
	}
	if !utf8.ValidString(p.raw) || strings.Contains(p.raw, "\r") || !strings.HasSuffix(p.raw, "\n") {
		t.Errorf("got invalid UTF-8, a CR or no final LF in %q", p.raw)
	}
}

func ruleHeader(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	want := `#EXTM3U url-tvg="` + fixtureHeader.EPGURL + `" x-tvg-url="` + fixtureHeader.EPGURL + `"`
	if p.lines[0] != want {
		t.Errorf("got header %q, want %q", p.lines[0], want)
	}
}

func ruleQuoted(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	for _, l := range p.extinfs {
		attrs, _ := kodiSplit(l)
		if !quotedAttrs.MatchString(attrs) {
			t.Errorf("got attributes %q, want only key=\"value\" pairs without quote or comma", attrs)
		}
	}
}

func ruleKodiReadsBack(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	for i, l := range p.extinfs {
		attrs, _ := kodiSplit(l)
		for _, key := range kodiKeys {
			got, found := kodiMarker(attrs, key)
			want, written := p.entries[i].Attrs[key]
			if found != written || got != want {
				t.Errorf("%q: Kodi reads %s=%q (found %v), we wrote %q (written %v)",
					l, key, got, found, want, written)
			}
		}
	}
}

func ruleNoMedia(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	for _, l := range p.extinfs {
		for _, k := range []string{"media=", "media-dir=", "media-size="} {
			if strings.Contains(l, k) {
				t.Errorf("%q contains %s, which makes Kodi treat the channel as a recording", l, k)
			}
		}
	}
}

func ruleTitle(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	for i, l := range p.extinfs {
		_, kodi := kodiSplit(l)
		vlc := vlcTitle(l)
		want := p.entries[i].Title
		if kodi != want || vlc != want {
			t.Errorf("%q: Kodi reads name %q, VLC %q, want both %q", l, kodi, vlc, want)
		}
		if want == "" || strings.ContainsAny(want, "\",") || strings.Contains(want, " - ") {
			t.Errorf("got name %q, want non-empty without quote, comma or ' - '", want)
		}
	}
}

func ruleTVGIDPresent(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	for _, e := range p.entries {
		if e.TVGID == "" || e.TVGID == "-1" {
			t.Errorf("line %d: got tvg-id %q, want a real id", e.Line, e.TVGID)
		}
	}
}

func ruleUniqueNameURL(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	seen := map[string]int{}
	for _, e := range p.entries {
		key := e.Title + "\n" + e.URL
		if prev, dup := seen[key]; dup {
			t.Errorf("lines %d and %d have the same name and URL %q", prev, e.Line, key)
		}
		seen[key] = e.Line
	}
}

func ruleUniqueChno(t *testing.T, p writtenPlaylist, opts M3UOptions) {
	seen := map[int]bool{}
	for _, e := range p.entries {
		if opts.Player == PlayerVLC {
			if e.Number != 0 {
				t.Errorf("line %d: got tvg-chno %d in a VLC playlist, want none", e.Line, e.Number)
			}
			continue
		}
		if e.Number <= 0 || seen[e.Number] {
			t.Errorf("line %d: got tvg-chno %d, want positive and unique", e.Line, e.Number)
		}
		seen[e.Number] = true
	}
}

func ruleCatchup(t *testing.T, p writtenPlaylist, opts M3UOptions) {
	for _, e := range p.entries {
		ch := channelByURL(p.channels, e.URL)
		_, hasMode := e.Attrs["catchup"]
		days := e.Attrs["catchup-days"]
		switch {
		case opts.Player == PlayerVLC || ch.DVRDays == 0:
			if hasMode || days != "" {
				t.Errorf("line %d: got catch-up attributes %v, want none", e.Line, e.Attrs)
			}
		case !hasMode || days != strconv.Itoa(ch.DVRDays):
			t.Errorf("line %d: got catchup %v days %q, want a mode and %d days", e.Line, hasMode, days, ch.DVRDays)
		case e.Attrs["catchup"] == "default" && e.Attrs["catchup-source"] == "":
			t.Errorf("line %d: catchup=default without catchup-source switches catch-up off", e.Line)
		}
	}
}

func ruleForbidden(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	for _, l := range p.lines {
		for _, bad := range []string{"#EXT-X-", "#EXTGRP", "tvg-shift=", "catchup-correction=", "realtime="} {
			if strings.Contains(l, bad) {
				t.Errorf("line %q contains %s", l, bad)
			}
		}
	}
}

func ruleMimetype(t *testing.T, p writtenPlaylist, opts M3UOptions) {
	want := opts.Format == FormatTS && opts.Player != PlayerVLC
	for _, e := range p.entries {
		got := len(e.KodiProp) == 1 && e.KodiProp[0] == "mimetype=video/mp2t"
		if got != want || (!want && len(e.KodiProp) > 0) {
			t.Errorf("line %d: got KODIPROP %q, want mimetype line %v", e.Line, e.KodiProp, want)
		}
	}
}

func ruleFlussonicShape(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	for _, e := range p.entries {
		if !strings.HasPrefix(e.Attrs["catchup"], "flussonic") {
			continue
		}
		u, err := url.Parse(e.URL)
		if err != nil {
			t.Fatalf("parse %q: %v", e.URL, err)
		}
		segs := strings.Split(strings.Trim(u.Path, "/"), "/")
		last := segs[len(segs)-1]
		if len(segs) < 2 || (last != "index.m3u8" && last != "mpegts") {
			t.Errorf("line %d: got URL %q, want /NAME/index.m3u8 or /NAME/mpegts", e.Line, e.URL)
		}
	}
}

func ruleURLLines(t *testing.T, p writtenPlaylist, _ M3UOptions) {
	for _, l := range p.lines[1:] {
		if !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "https://") {
			t.Errorf("got line %q, want a directive or a stream URL", l)
		}
	}
}

func channelByURL(chs []Channel, u string) Channel {
	for _, ch := range chs {
		if ch.StreamURL == u {
			return ch
		}
	}
	return Channel{}
}

// TestTVGIDStable checks Kodi rule 4: a channel keeps its tvg-id whatever the order of the
// line-up, the other channels and the subscriber's token.
func TestTVGIDStable(t *testing.T) {
	ids := func(chs []Channel) map[int64]string {
		var buf bytes.Buffer
		if err := WriteM3U(&buf, Playlist{}, chs, M3UOptions{}); err != nil {
			t.Fatalf("WriteM3U: %v", err)
		}
		entries, err := ParseM3U(&buf)
		if err != nil {
			t.Fatalf("ParseM3U: %v", err)
		}
		out := map[int64]string{}
		for _, e := range entries {
			out[channelByURL(chs, e.URL).ID] = e.TVGID
		}
		return out
	}
	want := ids(fixtureChannels(FormatHLS))
	shuffled := fixtureChannels(FormatHLS)[:6]
	rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for i := range shuffled {
		shuffled[i].StreamURL = strings.Replace(shuffled[i].StreamURL, "TOKEN", "OTHER", 1)
	}
	got := ids(shuffled[:4])
	for id, tvgID := range got {
		if want[id] != tvgID {
			t.Errorf("channel %d: got tvg-id %q, want %q", id, tvgID, want[id])
		}
	}
}

// TestXMLTVRules checks the XMLTV side of the spec: `<?xml` at byte 0, numeric offsets and
// a stop on every programme, one <channel> per tvg-id of the M3U with a display-name equal
// to the M3U name, and programmes only for those channels.
func TestXMLTVRules(t *testing.T) {
	chs := hostileChannels(FormatHLS)
	var buf bytes.Buffer
	if err := WriteXMLTV(&buf, chs, Programmes(fixtureProgrammes())); err != nil {
		t.Fatalf("WriteXMLTV: %v", err)
	}
	doc := buf.String()
	p := writeHostile(t, M3UOptions{})
	t.Run("DeclarationAtByte0", func(t *testing.T) {
		if !strings.HasPrefix(doc, `<?xml version="1.0" encoding="UTF-8"?>`) {
			t.Errorf("got start %q", doc[:40])
		}
	})
	t.Run("StartAndStopWithNumericOffset", func(t *testing.T) {
		re := regexp.MustCompile(`<programme start="\d{14} \+0000" stop="\d{14} \+0000" channel="[^"]+">`)
		if n, m := strings.Count(doc, "<programme "), len(re.FindAllString(doc, -1)); n != m || n == 0 {
			t.Errorf("got %d programmes, %d with start and stop in +0000 form", n, m)
		}
	})
	t.Run("ChannelIDAndDisplayNameMatchM3U", func(t *testing.T) {
		for _, e := range p.entries {
			want := `<channel id="` + string(appendEscaped(nil, e.TVGID)) + `">`
			i := strings.Index(doc, want)
			if i < 0 {
				t.Errorf("got no %s for M3U tvg-id %q", want, e.TVGID)
				continue
			}
			block := doc[i : i+strings.Index(doc[i:], "</channel>")]
			name := "<display-name>" + string(appendEscaped(nil, e.Title)) + "</display-name>"
			if !strings.Contains(block, name) {
				t.Errorf("channel %q: got %q, want it to contain %s", e.TVGID, block, name)
			}
		}
	})
	t.Run("ProgrammesOnlyForKnownChannels", func(t *testing.T) {
		for _, bad := range []string{"unknown.example", "No stop", "Stop before start"} {
			if strings.Contains(doc, bad) {
				t.Errorf("got %q in the guide, want it left out", bad)
			}
		}
	})
}
