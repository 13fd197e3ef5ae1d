package playlist

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"iter"
	"strings"
	"testing"
	"time"
)

// fixtureProgrammes covers escaping, a zone other than UTC on input, several categories,
// and the programmes the writer must leave out.
func fixtureProgrammes() []Programme {
	at := func(h, m int) time.Time { return time.Date(2024, 10, 24, h, m, 0, 0, time.UTC) }
	cet := time.FixedZone("CEST", 2*3600)
	return []Programme{
		{Channel: "first.example", Start: at(20, 0), Stop: at(21, 0), Title: "Evening News",
			SubTitle: "Monday edition", Desc: "Headlines & weather <live>.\nThen sport.",
			Categories: []string{"News", "Weather"}, EpisodeNum: "0.41.", Lang: "en",
			IconURL: "https://mw.example.net/art/news.jpg?a=1&b=2"},
		{Channel: "first.example", Start: time.Date(2024, 10, 24, 23, 0, 0, 0, cet),
			Stop: time.Date(2024, 10, 25, 0, 30, 0, 0, cet), Title: `Film "Noir" 'classic'`, Lang: "en"},
		{Channel: "perviy.ru", Start: at(18, 0), Stop: at(19, 0), Title: "Время", Lang: "ru",
			Desc: "Информационная программа"},
		{Channel: `ntv"jp,tv`, Start: at(9, 0), Stop: at(9, 30), Title: "ニュース\x01速報"},
		{Channel: "unknown.example", Start: at(20, 0), Stop: at(21, 0), Title: "Not in line-up"},
		{Channel: "first.example", Start: at(22, 0), Title: "No stop"},
		{Channel: "first.example", Start: at(22, 0), Stop: at(21, 0), Title: "Stop before start"},
		{Channel: "first.example", Start: at(22, 0), Stop: at(23, 0), Title: "  "},
	}
}

func TestWriteXMLTVGolden(t *testing.T) {
	var buf bytes.Buffer
	err := WriteXMLTV(&buf, fixtureChannels(FormatHLS), Programmes(fixtureProgrammes()))
	if err != nil {
		t.Fatalf("WriteXMLTV: %v", err)
	}
	assertGolden(t, "xmltv.golden", buf.Bytes())
}

func TestWriteXMLTVWellFormed(t *testing.T) {
	var buf bytes.Buffer
	err := WriteXMLTV(&buf, fixtureChannels(FormatHLS), Programmes(fixtureProgrammes()))
	if err != nil {
		t.Fatalf("WriteXMLTV: %v", err)
	}
	d := xml.NewDecoder(&buf)
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("output is not well-formed XML: %v", err)
		}
	}
}

func TestWriteXMLTVIteratorError(t *testing.T) {
	boom := errors.New("cursor closed")
	var seq iter.Seq2[Programme, error] = func(yield func(Programme, error) bool) {
		if !yield(fixtureProgrammes()[0], nil) {
			return
		}
		yield(Programme{}, boom)
	}
	var buf bytes.Buffer
	err := WriteXMLTV(&buf, fixtureChannels(FormatHLS), seq)
	if !errors.Is(err, boom) {
		t.Errorf("got error %v, want %v", err, boom)
	}
}

func TestAppendEscaped(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Markup", `a<b>&"c'`, "a&lt;b&gt;&amp;&quot;c&apos;"},
		{"Whitespace", "a\tb\nc\r", "a&#09;b&#10;c&#13;"},
		{"ControlChar", "a\x01b", "a\uFFFDb"},
		{"InvalidUTF8", "a\xffb", "a\uFFFDb"},
		{"Scripts", "Первый 日本 الجزيرة 🎬", "Первый 日本 الجزيرة 🎬"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(appendEscaped(nil, tt.in)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestXMLTVSharedTVGIDHasAllNames(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXMLTV(&buf, fixtureChannels(FormatHLS), Programmes(nil)); err != nil {
		t.Fatalf("WriteXMLTV: %v", err)
	}
	want := `  <channel id="first.example">
    <display-name>First Channel</display-name>
    <display-name>First Channel HD</display-name>
    <icon src="https://mw.example.net/logo/first.png"/>
  </channel>
`
	if !strings.Contains(buf.String(), want) {
		t.Errorf("got\n%s\nwant it to contain\n%s", buf.String(), want)
	}
	if n := strings.Count(buf.String(), `<channel id="first.example">`); n != 1 {
		t.Errorf("got %d channel elements for first.example, want 1", n)
	}
}
