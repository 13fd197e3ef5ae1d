package playlist

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseM3U(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Entry
		errs LineErrors
	}{
		{
			name: "BOMCRLFAndHeader",
			in:   "\uFEFF#EXTM3U x-tvg-url=\"e\"\r\n\r\n#EXTINF:-1 tvg-id=\"a\" group-title=\"News\",Alpha, Beta\r\nhttp://h/a/index.m3u8\r\n",
			want: []Entry{{Line: 3, Title: "Alpha, Beta", TVGID: "a", Group: "News", URL: "http://h/a/index.m3u8",
				Attrs: map[string]string{"tvg-id": "a", "group-title": "News"}}},
		},
		{
			name: "UnquotedValuesAndFallbackKeys",
			in:   "#EXTM3U\n#EXTINF:0 tvg-ID=b ch-number=12 tvg-logo=http://l/b.png,B\nhttp://h/b\n",
			want: []Entry{{Line: 2, Title: "B", TVGID: "b", Number: 12, Logo: "http://l/b.png", URL: "http://h/b",
				Attrs: map[string]string{"tvg-ID": "b", "ch-number": "12", "tvg-logo": "http://l/b.png"}}},
		},
		{
			name: "CommaInsideQuotedValue",
			in:   "#EXTM3U\n#EXTINF:-1 group-title=\"A, B\" tvg-name=\"N\",\nhttp://h/c\n",
			want: []Entry{{Line: 2, Title: "N", TVGName: "N", Group: "A, B", URL: "http://h/c",
				Attrs: map[string]string{"group-title": "A, B", "tvg-name": "N"}}},
		},
		{
			name: "EXTGRPAndKODIPROP",
			in: "#EXTM3U\n#EXTGRP:Sport\n#EXTINF:-1,S1\n#KODIPROP:mimetype=video/mp2t\n#EXTVLCOPT:x=y\nhttp://h/s1\n" +
				"#EXTINF:-1 group-title=\"Own\",S2\nhttp://h/s2\n",
			want: []Entry{
				{Line: 3, Title: "S1", Group: "Sport", URL: "http://h/s1", Attrs: map[string]string{},
					KodiProp: []string{"mimetype=video/mp2t"}},
				{Line: 7, Title: "S2", Group: "Own", URL: "http://h/s2", Attrs: map[string]string{"group-title": "Own"}},
			},
		},
		{
			name: "Latin1",
			in:   "#EXTM3U\n#EXTINF:-1,T\xe9l\xe9\nhttp://h/t\n",
			want: []Entry{{Line: 2, Title: "Télé", URL: "http://h/t", Attrs: map[string]string{}}},
		},
		{
			name: "BadLinesReportedWithNumbers",
			in: "#EXTINF:-1,NoHeader\nhttp://h/1\n" + // 1-2: missing header, entry kept
				"#EXTINF:-1 tvg-id=\"open,Broken\nhttp://h/2\n" + // 3-4: unterminated quote, orphan URL
				"#EXTINF:-1 no comma\n" + // 5
				"#EXTINF:abc,Bad duration\nhttp://h/3\n" + // 6-7
				"#EXTINF:-1,Dangling\n" + // 8: followed by another EXTINF
				"#EXTINF:-1 =x,Bad key\n" + // 9
				"#EXTINF:-1,Good\nhttp://h/4\n" + // 10-11
				"#EXTINF:-1,Last\n", // 12: no URL at end
			want: []Entry{
				{Line: 1, Title: "NoHeader", URL: "http://h/1", Attrs: map[string]string{}},
				{Line: 10, Title: "Good", URL: "http://h/4", Attrs: map[string]string{}},
			},
			errs: LineErrors{
				{1, "missing #EXTM3U header"},
				{3, "attribute tvg-id: unterminated quote"},
				{4, "stream URL without #EXTINF"},
				{5, `malformed attribute near "no comma"`},
				{6, `#EXTINF duration "abc" is not a number`},
				{7, "stream URL without #EXTINF"},
				{8, "#EXTINF without a stream URL"},
				{9, `malformed attribute near "=x,Bad key"`},
				{12, "#EXTINF without a stream URL"},
			},
		},
		{
			name: "Empty",
			in:   "\n\n",
			errs: LineErrors{{1, "empty playlist"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseM3U(strings.NewReader(tt.in))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			var gotErrs LineErrors
			if err != nil && !errors.As(err, &gotErrs) {
				t.Fatalf("got error %v, want LineErrors", err)
			}
			if diff := cmp.Diff(tt.errs, gotErrs); diff != "" {
				t.Errorf("line errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseM3ULineTooLong(t *testing.T) {
	in := "#EXTM3U\n#EXTINF:-1," + strings.Repeat("x", maxLineBytes+1) + "\nhttp://h/x\n"
	_, err := ParseM3U(strings.NewReader(in))
	var lineErrs LineErrors
	if err == nil || errors.As(err, &lineErrs) {
		t.Errorf("got error %v, want a read error", err)
	}
}

func TestLineErrorsMessage(t *testing.T) {
	err := LineErrors{{3, "a"}, {5, "b"}}
	if got, want := err.Error(), "line 3: a (and 1 more bad lines)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestParseM3UOldMacLineEndings reads a playlist whose lines end in a lone
// CR: each is a line, and no URL keeps a CR (found by FuzzParseM3U).
func TestParseM3UOldMacLineEndings(t *testing.T) {
	entries, err := ParseM3U(strings.NewReader("#EXTM3U\r#EXTINF:-1,One\rhttp://x/1\r\r#EXTINF:-1,Two\r\nhttp://x/2"))
	if err != nil || len(entries) != 2 || entries[0].URL != "http://x/1" || entries[1].URL != "http://x/2" || entries[1].Line != 5 {
		t.Errorf("got %+v, %v; want One at http://x/1 and Two at http://x/2 from line 5", entries, err)
	}
}
