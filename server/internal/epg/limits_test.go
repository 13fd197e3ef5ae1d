package epg

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// gzipStream gzips what write writes, without holding the plain text.
func gzipStream(t testing.TB, write func(w io.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	write(zw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// repeat writes s n times.
func repeat(w io.Writer, s string, n int) {
	chunk := strings.Repeat(s, max(1, (64<<10)/len(s)))
	per := len(chunk) / len(s)
	for ; n >= per; n -= per {
		io.WriteString(w, chunk)
	}
	io.WriteString(w, strings.Repeat(s, n))
}

// TestParseGzipBomb is a guide that is a few dozen KB on the wire and
// 32 MB inflated: the parse stops at the decompressed limit.
func TestParseGzipBomb(t *testing.T) {
	bomb := gzipStream(t, func(w io.Writer) {
		io.WriteString(w, "<tv>")
		repeat(w, "<x/>", 8<<20)
		io.WriteString(w, "</tv>")
	})
	p := Parser{MaxBytes: 4 << 20}
	_, err := p.Parse(context.Background(), bytes.NewReader(bomb), func(Item) error { return nil })
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "decompressed") {
		t.Errorf("got %v, want ErrTooLarge naming the decompressed size", err)
	}
}

// TestParseHugeElement sends one programme whose description is 32 MB (a
// few KB gzipped): the parse fails on it, naming the line, without holding it.
func TestParseHugeElement(t *testing.T) {
	for _, tt := range []struct{ name, open, close string }{
		{"Desc", `<tv><programme start="20241024200000" channel="a"><title>t</title><desc>`, `</desc></programme></tv>`},
		{"TextBetweenElements", "<tv>\n", "</tv>"},
		{"Attribute", `<tv><programme channel="`, `"/></tv>`},
		{"Comment", "<tv><!--", "--></tv>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			guide := gzipStream(t, func(w io.Writer) {
				io.WriteString(w, tt.open)
				repeat(w, "a", 32<<20)
				io.WriteString(w, tt.close)
			})
			runtime.GC()
			stop := heapPeak()
			_, err := Parse(context.Background(), bytes.NewReader(guide), func(Item) error { return nil })
			peak := stop()
			if !errors.Is(err, ErrElementTooLarge) || !strings.Contains(err.Error(), "line") {
				t.Errorf("got %v, want ErrElementTooLarge with a line", err)
			}
			if peak > 16<<20 {
				t.Errorf("peak heap in use %d MB, want under 16 MB", peak>>20)
			}
		})
	}
}

// TestParseLongTextsAreCut sends texts past each field's cap: the item is
// kept with its texts cut on a character boundary, and a warning says so.
func TestParseLongTextsAreCut(t *testing.T) {
	long := strings.Repeat("é", 40<<10) // 80 KB of two-byte characters
	guide := fmt.Sprintf(`<tv>
<channel id="a"><display-name>%s</display-name><icon src="http://x/%s"/></channel>
<programme start="20241024200000" channel="a"><title>%s</title><sub-title>%s</sub-title><desc>%s</desc><category>%s</category>
<episode-num system="%s">%s</episode-num><icon src="http://x/%s"/></programme>
<channel id="%s"><display-name>x</display-name></channel>
</tv>`, long, long, long, long, long, long, long, long, long, long)
	var items []Item
	st, err := Parse(context.Background(), strings.NewReader(guide), func(it Item) error { items = append(items, it); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || st.Warnings != 3 {
		t.Fatalf("got %d items, %d warnings (%+v); want 2 items, 3 warnings (two cut, one id too long)", len(items), st.Warnings, st.Samples)
	}
	ch, p := items[0].Channel, items[1].Programme
	fields := map[string]struct {
		got string
		max int
	}{
		"display-name": {ch.DisplayNames[0], maxTextBytes}, "channel icon": {ch.IconURL, maxURLBytes},
		"title": {p.Title, maxTextBytes}, "sub-title": {p.SubTitle, maxTextBytes}, "desc": {p.Desc, maxDescBytes},
		"category": {p.Categories[0], maxTextBytes}, "episode system": {p.EpisodeNums[0].System, maxTextBytes},
		"episode": {p.EpisodeNums[0].Value, maxTextBytes}, "icon": {p.IconURL, maxURLBytes},
	}
	for name, f := range fields {
		if len(f.got) == 0 || len(f.got) > f.max || !strings.HasPrefix(long, strings.TrimPrefix(f.got, "http://x/")) {
			t.Errorf("%s: got %d bytes, want a prefix of at most %d on a character boundary", name, len(f.got), f.max)
		}
	}
	for _, w := range st.Samples[:2] {
		if !strings.Contains(w.Msg, "cut") {
			t.Errorf("warning %q does not say what was cut", w.Msg)
		}
	}
}

// TestParseManyRepeatedElementsAreCapped gives a channel thousands of
// display names: only the first few are kept.
func TestParseManyRepeatedElementsAreCapped(t *testing.T) {
	guide := `<tv><channel id="a">` + strings.Repeat("<display-name>n</display-name>", 5000) + `</channel>
<programme start="20241024200000" channel="a"><title>t</title>` + strings.Repeat("<category>c</category><episode-num>1</episode-num>", 5000) + `</programme></tv>`
	var items []Item
	st, err := Parse(context.Background(), strings.NewReader(guide), func(it Item) error { items = append(items, it); return nil })
	if err != nil || len(items) != 2 {
		t.Fatalf("got %d items, %v", len(items), err)
	}
	if n := len(items[0].Channel.DisplayNames); n != maxRepeated {
		t.Errorf("display names: got %d, want %d", n, maxRepeated)
	}
	if p := items[1].Programme; len(p.Categories) != maxRepeated || len(p.EpisodeNums) != maxRepeated {
		t.Errorf("categories, episode nums: got %d, %d, want %d", len(p.Categories), len(p.EpisodeNums), maxRepeated)
	}
	if st.Warnings != 2 {
		t.Errorf("got %d warnings, want 2", st.Warnings)
	}
}

// heapPeak samples the heap in use until stop is called and returns the peak.
func heapPeak() (stop func() uint64) {
	done, out := make(chan struct{}), make(chan uint64)
	go func() {
		var ms runtime.MemStats
		var peak uint64
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-out }
}
