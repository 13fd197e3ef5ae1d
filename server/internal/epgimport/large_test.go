package epgimport_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

const (
	largeGuideBytes = 50 << 20 // a large real guide
	maxHeapInUse    = 25 << 20 // well below the file size: download, parse and COPY all stream
)

// heapPeak samples the heap in use until stop is called and returns the peak.
func heapPeak() (stop func() uint64) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	var peak uint64
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// TestImportLargeGuideBoundedMemory imports a 50 MB guide, plain and gzipped,
// from a loopback server into PostgreSQL and checks every programme arrives
// while the heap in use stays far below the file size.
func TestImportLargeGuideBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a 50 MB guide; skipped with -short")
	}
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "guide.xml"))
	if err != nil {
		t.Fatal(err)
	}
	channels, programmes := writeGuide(f, time.Now().Truncate(time.Hour).Add(time.Hour), largeGuideBytes)
	f.Close()
	gzipTo(t, filepath.Join(dir, "guide.xml"), filepath.Join(dir, "guide.xml.gz"))
	ts := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(ts.Close)
	for _, name := range []string{"guide.xml", "guide.xml.gz"} {
		t.Run(name, func(t *testing.T) {
			b := setup(t)
			src := b.source(t, name, ts.URL+"/"+name)
			runtime.GC()
			stop := heapPeak()
			began := time.Now()
			done, err := b.im.Import(context.Background(), src.ID)
			peak := stop()
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if done.Programmes != programmes || done.Channels != channels || done.Warnings != 0 {
				t.Errorf("got %+v, want %d programmes, %d channels, no warnings", done, programmes, channels)
			}
			if n, _ := b.store.CountProgrammes(context.Background(), src.ID); n != programmes {
				t.Errorf("stored programmes: got %d, want %d", n, programmes)
			}
			if peak == 0 || peak > maxHeapInUse {
				t.Errorf("got peak heap in use %d MB, want between 0 and %d MB", peak>>20, maxHeapInUse>>20)
			}
			t.Logf("%s: %d MB, %d programmes in %v, peak heap in use %.1f MB", name, done.Bytes>>20, done.Programmes,
				time.Since(began).Round(time.Millisecond), float64(peak)/(1<<20))
		})
	}
}

func gzipTo(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw, _ := gzip.NewWriterLevel(out, gzip.BestSpeed)
	if _, err := io.Copy(zw, in); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}
