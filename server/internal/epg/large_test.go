package epg

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

const (
	largeGuideBytes = 50 << 20 // the size of a large real guide
	maxHeapInUse    = 20 << 20 // well below the file size: proof that Parse streams
)

// writeLargeGuide writes an XMLTV guide of at least size bytes to path and returns how many
// channels and programmes it holds.
func writeLargeGuide(t *testing.T, path string, size int64) (channels, programmes int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("create guide: %v", err)
	}
	defer f.Close()
	cw := &countWriter{w: f}
	w := bufio.NewWriterSize(cw, 64<<10)
	fmt.Fprint(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tv generator-info-name=\"test\">\n")
	for channels = 0; channels < 300; channels++ {
		fmt.Fprintf(w, "  <channel id=\"ch%d.example\">\n    <display-name>Channel %d</display-name>\n"+
			"    <icon src=\"https://x.example/logo/%d.png\"/>\n  </channel>\n", channels, channels, channels)
	}
	start := time.Date(2024, 10, 20, 0, 0, 0, 0, time.UTC)
	for ; cw.n+int64(w.Buffered()) < size; programmes++ {
		at := start.Add(time.Duration(programmes/channels) * 30 * time.Minute)
		fmt.Fprintf(w, "  <programme start=\"%s\" stop=\"%s\" channel=\"ch%d.example\">\n"+
			"    <title lang=\"en\">Programme %d</title>\n    <sub-title lang=\"en\">Part &amp; parcel</sub-title>\n"+
			"    <desc lang=\"en\">Пример описания передачи номер %d, with enough text to look like a real guide entry.</desc>\n"+
			"    <category lang=\"en\">News</category>\n    <episode-num system=\"xmltv_ns\">0.%d.</episode-num>\n  </programme>\n",
			at.Format("20060102150405 -0700"), at.Add(30*time.Minute).Format("20060102150405 -0700"),
			programmes%channels, programmes, programmes, programmes%100)
	}
	fmt.Fprint(w, "</tv>\n")
	if err := w.Flush(); err != nil {
		t.Fatalf("write guide: %v", err)
	}
	return channels, programmes
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func gzipFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	defer out.Close()
	zw, _ := gzip.NewWriterLevel(out, gzip.BestSpeed)
	if _, err := io.Copy(zw, in); err != nil {
		t.Fatalf("gzip: %v", err)
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("gzip: %v", err)
	}
}

// TestParseLargeGuideBoundedMemory parses a 50 MB guide, plain and gzipped, and checks
// that the heap in use stays far below the file size while every item comes through.
func TestParseLargeGuideBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and parses a 50 MB guide; skipped with -short")
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "guide.xml")
	channels, programmes := writeLargeGuide(t, plain, largeGuideBytes)
	gzipFile(t, plain, plain+".gz")
	for _, name := range []string{"guide.xml", "guide.xml.gz"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer f.Close()
			runtime.GC()
			var peak uint64
			var ms runtime.MemStats
			items := 0
			st, err := Parse(context.Background(), f, func(Item) error {
				if items++; items%4096 == 0 {
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if st.Channels != channels || st.Programmes != programmes || st.Warnings != 0 {
				t.Errorf("got %+v, want %d channels, %d programmes, no warnings", st, channels, programmes)
			}
			if peak == 0 || peak > maxHeapInUse {
				t.Errorf("got peak heap in use %d MB, want between 0 and %d MB", peak>>20, maxHeapInUse>>20)
			}
			t.Logf("%s: %d MB read, peak heap in use %.1f MB", name, st.Bytes>>20, float64(peak)/(1<<20))
		})
	}
}
