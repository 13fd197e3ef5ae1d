package epg

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
)

const sampleGuide = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tv SYSTEM "xmltv.dtd">
<tv generator-info-name="test">
  <channel id="first.example">
    <display-name lang="en">First Channel</display-name>
    <display-name>First</display-name>
    <icon src="https://x.example/first.png"/>
  </channel>
  <channel id="">
    <display-name>No id</display-name>
  </channel>
  <programme start="20241024200000 +0000" stop="20241024210000 +0000" channel="first.example">
    <title lang="en">Evening News</title>
    <title lang="de">Abendnachrichten</title>
    <sub-title lang="en">Monday edition</sub-title>
    <desc lang="en">Headlines &amp; weather&nbsp;now.</desc>
    <credits><director>Someone</director></credits>
    <category lang="en">News</category>
    <category lang="en">Weather</category>
    <icon src="https://x.example/news.jpg"/>
    <episode-num system="xmltv_ns">0.41.</episode-num>
    <episode-num>S01E42</episode-num>
  </programme>
  <programme start="202410242100 +0200" channel="first.example">
    <title>No stop, no seconds, CEST</title>
  </programme>
  <programme start="20241024220000" stop="20241024230000" channel="first.example">
    <title>No zone</title>
  </programme>
  <programme start="20241024220000 BST" stop="20241024230000 +0000" channel="first.example">
    <title>Named zone</title>
  </programme>
  <programme start="20241024230000 +0000" stop="20241024220000 +0000" channel="first.example">
    <title>Stop before start</title>
  </programme>
  <programme start="20241024230000 +0000" stop="20241025000000 +0000" channel="first.example">
    <title>  </title>
  </programme>
  <programme start="20241024230000 +0000" stop="20241025000000 +0000">
    <title>No channel</title>
  </programme>
  <unknown-element><nested/></unknown-element>
</tv>
`

func sampleItems() []Item {
	utc := func(h int) time.Time { return time.Date(2024, 10, 24, h, 0, 0, 0, time.UTC) }
	return []Item{
		{Channel: &Channel{ID: "first.example", DisplayNames: []string{"First Channel", "First"},
			IconURL: "https://x.example/first.png"}},
		{Programme: &Programme{Channel: "first.example", Start: utc(20), Stop: utc(21),
			Title: "Evening News", SubTitle: "Monday edition", Desc: "Headlines & weather\u00a0now.",
			Lang: "en", Categories: []string{"News", "Weather"}, IconURL: "https://x.example/news.jpg",
			EpisodeNums: []EpisodeNum{{"xmltv_ns", "0.41."}, {"onscreen", "S01E42"}}}},
		{Programme: &Programme{Channel: "first.example", Start: utc(19), Title: "No stop, no seconds, CEST"}},
		{Programme: &Programme{Channel: "first.example", Start: utc(22), Stop: utc(23), Title: "No zone"}},
	}
}

func collect(t *testing.T, in []byte) ([]Item, Stats, error) {
	t.Helper()
	var items []Item
	st, err := Parse(context.Background(), bytes.NewReader(in), func(it Item) error {
		items = append(items, it)
		return nil
	})
	return items, st, err
}

// sameInstant compares times by instant, as the zone a source wrote them in does not matter.
var sameInstant = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatalf("gzip: %v", err)
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return buf.Bytes()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
	}{
		{"Plain", []byte(sampleGuide)},
		{"Gzip", gzipped(t, []byte(sampleGuide))},
		{"BOM", append([]byte("\uFEFF"), sampleGuide...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, st, err := collect(t, tt.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(sampleItems(), items, sameInstant); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if st.Channels != 1 || st.Programmes != 3 || st.Warnings != 5 || st.Bytes != int64(len(tt.in)) {
				t.Errorf("got stats %+v, want 1 channel, 3 programmes, 5 warnings, %d bytes", st, len(tt.in))
			}
		})
	}
}

func TestParseWarningsHaveLines(t *testing.T) {
	_, st, err := collect(t, []byte(sampleGuide))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Warning{
		{9, "channel without id"},
		{30, `programme of first.example: start: parse XMLTV time "20241024220000 BST": zone "BST" is not a numeric offset`},
		{33, "programme of first.example at 20241024230000 +0000: stop is not after start"},
		{36, "programme of first.example at 20241024230000 +0000 without title"},
		{39, "programme without channel"},
	}
	if diff := cmp.Diff(want, st.Samples); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestParseBrokenInput(t *testing.T) {
	full := []byte(sampleGuide)
	gz := gzipped(t, full)
	tests := []struct {
		name string
		in   []byte
		want string // part of the error message
	}{
		{"TruncatedMidElement", full[:len(full)/2], "unexpected EOF"},
		{"TruncatedBeforeEndOfRoot", full[:strings.Index(sampleGuide, "</tv>")], "unexpected EOF"},
		{"TruncatedGzip", gz[:len(gz)/2], "unexpected EOF"},
		{"GzipWithoutTrailer", gz[:len(gz)-4], "read guide end: unexpected EOF"},
		{"Empty", nil, "empty input"},
		{"NotXML", []byte("#EXTM3U\n#EXTINF:-1,x\nhttp://x\n"), "no XML element"},
		{"HTMLErrorPage", []byte("<html><body>502 Bad Gateway</body></html>"), "want <tv>"},
		{"Mismatched", []byte("<?xml version=\"1.0\"?><tv><channel id=\"a\"></programme></tv>"), "closed by"},
		{"UnknownEntity", []byte("<?xml version=\"1.0\"?><tv><channel id=\"a\"><display-name>&bogus;</display-name></channel></tv>"), "&bogus;"},
		{"Xz", []byte{0xfd, '7', 'z', 'X', 'Z', 0, 0, 0}, "xz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := collect(t, tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestParseCallbackError(t *testing.T) {
	stop := errors.New("store is full")
	_, err := Parse(context.Background(), strings.NewReader(sampleGuide), func(Item) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("got %v, want %v", err, stop)
	}
}

func TestParseCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var b strings.Builder
	b.WriteString("<tv>")
	for range 5000 {
		b.WriteString(`<channel id="a"><display-name>A</display-name></channel>`)
	}
	b.WriteString("</tv>")
	_, err := Parse(ctx, strings.NewReader(b.String()), func(Item) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestParseLatin1(t *testing.T) {
	in := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><tv><channel id=\"t\"><display-name>T\xe9l\xe9</display-name></channel></tv>"
	items, _, err := collect(t, []byte(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(items) != 1 || items[0].Channel.DisplayNames[0] != "Télé" {
		t.Errorf("got %+v, want one channel named Télé", items)
	}
}

func TestParseProgress(t *testing.T) {
	in := bytes.Repeat([]byte("<pad/>\n"), 3*progressEvery/7+1) // many small elements: one 3 MiB text would pass MaxElementBytes
	in = append(append([]byte(sampleGuide[:len(sampleGuide)-6]), in...), "</tv>\n"...)
	var got []int64
	p := Parser{Progress: func(n int64) { got = append(got, n) }}
	if _, err := p.Parse(context.Background(), bytes.NewReader(in), func(Item) error { return nil }); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(got) < 3 || got[len(got)-1] != int64(len(in)) {
		t.Errorf("got progress %v, want at least 3 reports ending at %d", got, len(in))
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Errorf("got progress %v, want increasing", got)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{in: "20241024200000 +0000", want: time.Date(2024, 10, 24, 20, 0, 0, 0, time.UTC)},
		{in: "20241024200000 +0130", want: time.Date(2024, 10, 24, 18, 30, 0, 0, time.UTC)},
		{in: "20241024200000 -0500", want: time.Date(2024, 10, 25, 1, 0, 0, 0, time.UTC)},
		{in: "20241024200000+0200", want: time.Date(2024, 10, 24, 18, 0, 0, 0, time.UTC)},
		{in: "20241024200000 +02:00", want: time.Date(2024, 10, 24, 18, 0, 0, 0, time.UTC)},
		{in: "20241024200000 +02", want: time.Date(2024, 10, 24, 18, 0, 0, 0, time.UTC)},
		{in: "20241024200000", want: time.Date(2024, 10, 24, 20, 0, 0, 0, time.UTC)},
		{in: "20241024200000 UTC", want: time.Date(2024, 10, 24, 20, 0, 0, 0, time.UTC)},
		{in: "20241024200000Z", want: time.Date(2024, 10, 24, 20, 0, 0, 0, time.UTC)},
		{in: "202410242000 +0100", want: time.Date(2024, 10, 24, 19, 0, 0, 0, time.UTC)},
		{in: "2024102420", want: time.Date(2024, 10, 24, 20, 0, 0, 0, time.UTC)},
		{in: " 20241024 ", want: time.Date(2024, 10, 24, 0, 0, 0, 0, time.UTC)},
		{in: "20241024200000 BST", err: true},
		{in: "20241024200000 +2500", err: true},
		{in: "20241024200000 +01x0", err: true},
		{in: "20241324200000 +0000", err: true},
		{in: "20240230200000 +0000", err: true},
		{in: "20241024250000 +0000", err: true},
		{in: "2024102420000", err: true},
		{in: "", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("got error %v, want error %v", err, tt.err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseReaderError(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader(sampleGuide[:200]), iotest.ErrReader(boom))
	_, err := Parse(context.Background(), r, func(Item) error { return nil })
	if !errors.Is(err, boom) {
		t.Errorf("got %v, want %v", err, boom)
	}
}
