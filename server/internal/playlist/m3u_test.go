package playlist

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixtureChannels is a line-up with the awkward cases the spec warns about: commas, quotes
// and ` - ` in names, a known `key=` in a logo URL, several scripts, a shared tvg-id, a
// repeated number, a channel without URL and a name+URL duplicate.
func fixtureChannels(f Format) []Channel {
	mk := func(id int64, name string, dvr int) Channel {
		live, catchup := FlussonicURLs("https://edge1.example.net", name, "TOKEN", f)
		return Channel{ID: id, Name: name, DVRDays: dvr, StreamURL: live, CatchupSource: catchup}
	}
	first := mk(1, "first", 7)
	first.Title, first.Number, first.Category = "First Channel", 1, "News"
	first.LogoURL, first.EPGID = "https://mw.example.net/logo/first.png", "first.example"

	sport := mk(2, "sport/hd", 0)
	sport.Title, sport.Number, sport.Category = `Sport, Live - "HD"`, 1, `Sports; "Live"`
	sport.LogoURL = "https://mw.example.net/logo/sport hd,1.png"

	ru := mk(3, "perviy", 3)
	ru.Title, ru.Number, ru.Category = "Первый канал", 3, "Общие"
	ru.LogoURL, ru.EPGID = "https://mw.example.net/logo/p.png?media=1", "perviy.ru"

	jp := mk(4, "ntv", 0)
	jp.Title, jp.Number, jp.Category, jp.EPGID = "日本テレビ", 4, "ニュース", `ntv"jp,tv`

	ar := mk(5, "aljazeera", 14)
	ar.Title, ar.Category = "الجزيرة", "أخبار media=1"

	firstHD := mk(6, "first-hd", 7)
	firstHD.Title, firstHD.Number, firstHD.EPGID = "First Channel HD", 6, "first.example"

	broken := Channel{ID: 7, Title: "No URL", Number: 7}
	dup := first
	dup.ID = 8
	return []Channel{first, sport, ru, jp, ar, firstHD, broken, dup}
}

var fixtureHeader = Playlist{EPGURL: "https://mw.example.net/u/TOKEN/epg.xml.gz"}

func TestWriteM3UGolden(t *testing.T) {
	tests := []struct {
		name string
		opts M3UOptions
	}{
		{"m3u_kodi_hls", M3UOptions{Format: FormatHLS, Player: PlayerKodi}},
		{"m3u_kodi_ts", M3UOptions{Format: FormatTS, Player: PlayerKodi}},
		{"m3u_generic_hls", M3UOptions{Format: FormatHLS, Player: PlayerGeneric}},
		{"m3u_generic_ts", M3UOptions{Format: FormatTS, Player: PlayerGeneric}},
		{"m3u_vlc_hls", M3UOptions{Format: FormatHLS, Player: PlayerVLC}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteM3U(&buf, fixtureHeader, fixtureChannels(tt.opts.Format), tt.opts); err != nil {
				t.Fatalf("WriteM3U: %v", err)
			}
			assertGolden(t, tt.name+".golden", buf.Bytes())
		})
	}
}

func TestWriteM3UNoHeaderURL(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteM3U(&buf, Playlist{}, nil, M3UOptions{}); err != nil {
		t.Fatalf("WriteM3U: %v", err)
	}
	if got, want := buf.String(), "#EXTM3U\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestM3URoundTrip(t *testing.T) {
	for _, f := range []Format{FormatHLS, FormatTS} {
		t.Run(f.String(), func(t *testing.T) {
			var buf bytes.Buffer
			opts := M3UOptions{Format: f, Player: PlayerKodi}
			if err := WriteM3U(&buf, fixtureHeader, fixtureChannels(f), opts); err != nil {
				t.Fatalf("WriteM3U: %v", err)
			}
			got, err := ParseM3U(&buf)
			if err != nil {
				t.Fatalf("ParseM3U: %v", err)
			}
			want := expectedEntries(fixtureChannels(f), opts)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// expectedEntries is what reading back our own playlist must give: the sanitised names and
// ids, the URLs untouched, and the channel without URL and the duplicate left out.
func expectedEntries(chs []Channel, opts M3UOptions) []Entry {
	numbers := []int{1, 8, 3, 4, 9, 6}
	var out []Entry
	for i, ch := range chs[:6] {
		e := Entry{
			Line:    2 + 2*i,
			Title:   DisplayName(ch),
			TVGID:   TVGID(ch),
			TVGName: DisplayName(ch),
			Number:  numbers[i],
			URL:     ch.StreamURL,
			Attrs: map[string]string{
				"tvg-id": TVGID(ch), "tvg-name": DisplayName(ch), "tvg-chno": strconv.Itoa(numbers[i]),
			},
		}
		if opts.Format == FormatTS {
			e.Line = 2 + 3*i
			e.KodiProp = []string{"mimetype=video/mp2t"}
		}
		if logo, ok := cleanURL(ch.LogoURL); ok {
			e.Logo, e.Attrs["tvg-logo"] = logo, logo
		}
		if g := defuseKeys(cleanValue(ch.Category)); g != "" {
			e.Group, e.Attrs["group-title"] = g, g
		}
		addCatchupAttrs(e.Attrs, ch, opts.Format)
		out = append(out, e)
	}
	return out
}

func addCatchupAttrs(attrs map[string]string, ch Channel, f Format) {
	if ch.DVRDays == 0 {
		return
	}
	attrs["catchup-days"] = strconv.Itoa(ch.DVRDays)
	if f == FormatHLS {
		attrs["catchup"], attrs["catchup-source"] = "default", ch.CatchupSource
		return
	}
	attrs["catchup"] = "flussonic-ts"
}

func TestFlussonicURLs(t *testing.T) {
	tests := []struct {
		name, edge, stream, token string
		f                         Format
		live, catchup             string
	}{
		{"HLS", "https://edge1.example.net/", "first", "T", FormatHLS,
			"https://edge1.example.net/first/index.m3u8?token=T",
			"https://edge1.example.net/first/archive-{utc}-{duration}.m3u8?token=T"},
		{"TS", "https://edge1.example.net", "first", "T", FormatTS,
			"https://edge1.example.net/first/mpegts?token=T", ""},
		{"SlashInName", "http://e:8080", "/sport/hd/", "a b&c", FormatHLS,
			"http://e:8080/sport/hd/index.m3u8?token=a+b%26c",
			"http://e:8080/sport/hd/archive-{utc}-{duration}.m3u8?token=a+b%26c"},
		{"NoToken", "http://e", "x y", "", FormatTS, "http://e/x%20y/mpegts", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			live, catchup := FlussonicURLs(tt.edge, tt.stream, tt.token, tt.f)
			if live != tt.live || catchup != tt.catchup {
				t.Errorf("got %q, %q, want %q, %q", live, catchup, tt.live, tt.catchup)
			}
		})
	}
}

func TestAssignNumbers(t *testing.T) {
	chs := []Channel{{Number: 5}, {Number: 0}, {Number: 5}, {Number: 2}, {Number: -1}}
	got := assignNumbers(chs)
	want := []int{5, 6, 7, 2, 8}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("numbers (-want +got):\n%s", diff)
	}
}

func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("update golden: %v", err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}
