package rendercache_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"canale/server/internal/rendercache"
)

func TestLRUBoundsAndGenerations(t *testing.T) {
	c := rendercache.New(rendercache.Options{MaxEntries: 2, MaxBytes: 1 << 20})
	c.Put(1, "a", []byte("A"))
	c.Put(1, "b", []byte("B"))
	if _, ok := c.Get(1, "a"); !ok { // a is now the most recent
		t.Fatal("a missing right after Put")
	}
	c.Put(1, "c", []byte("C"))
	for key, want := range map[string]bool{"a": true, "b": false, "c": true} {
		if _, got := c.Get(1, key); got != want {
			t.Errorf("after a third entry: %q held = %v, want %v (b was least recently used)", key, got, want)
		}
	}
	if _, ok := c.Get(2, "a"); ok || c.Len() != 0 {
		t.Errorf("a newer generation: a held = %v, len %d; want everything dropped", ok, c.Len())
	}
	c.Put(1, "old", []byte("stale"))
	if _, ok := c.Get(2, "old"); ok {
		t.Error("a body rendered for an older generation was kept")
	}
}

func TestBytesBound(t *testing.T) {
	c := rendercache.New(rendercache.Options{MaxEntries: 100, MaxBytes: 100})
	c.Put(1, "big", bytes.Repeat([]byte("x"), 26)) // over a quarter: served, not kept
	if c.Len() != 0 {
		t.Errorf("len = %d after a body over a quarter of MaxBytes, want 0", c.Len())
	}
	for _, k := range []string{"1", "2", "3", "4", "5"} {
		c.Put(1, k, bytes.Repeat([]byte("x"), 25))
	}
	if c.Len() != 4 {
		t.Errorf("len = %d with 5×25 bytes under a 100-byte bound, want 4", c.Len())
	}
}

func TestServe(t *testing.T) {
	c := rendercache.New(rendercache.Options{})
	e := c.Put(1, "k", []byte("#EXTM3U\n"))
	if e.ETag != rendercache.ETag("k") {
		t.Errorf("etag = %s, want the key's %s", e.ETag, rendercache.ETag("k"))
	}
	tests := []struct {
		name       string
		header     http.Header
		wantStatus int
		wantGzip   bool
	}{
		{"plain", http.Header{}, http.StatusOK, false},
		{"gzip", http.Header{"Accept-Encoding": {"br, gzip"}}, http.StatusOK, true},
		{"gzip refused", http.Header{"Accept-Encoding": {"gzip;q=0"}}, http.StatusOK, false},
		{"held", http.Header{"If-None-Match": {`"x", W/` + e.ETag}}, http.StatusNotModified, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header = tt.header
			w := httptest.NewRecorder()
			e.Serve(w, r, "audio/x-mpegurl")
			if w.Code != tt.wantStatus || w.Header().Get("ETag") != e.ETag {
				t.Fatalf("status %d etag %s, want %d with %s", w.Code, w.Header().Get("ETag"), tt.wantStatus, e.ETag)
			}
			if tt.wantStatus != http.StatusOK {
				return
			}
			body := w.Body.Bytes()
			if gz := w.Header().Get("Content-Encoding") == "gzip"; gz != tt.wantGzip {
				t.Fatalf("gzip = %v, want %v", gz, tt.wantGzip)
			}
			if tt.wantGzip {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				body, _ = io.ReadAll(zr)
			}
			if string(body) != "#EXTM3U\n" {
				t.Errorf("body = %q, want the cached one", body)
			}
		})
	}
}

// TestBodyETag: a body's tag is the one its bytes would get as a key, the
// first 16 bytes of its SHA-256, so tags players already hold keep matching.
func TestBodyETag(t *testing.T) {
	body := []byte("#EXTM3U\n#EXTINF:-1,One\nhttp://x/1.ts\n")
	if got, want := rendercache.BodyETag(body), rendercache.ETag(string(body)); got != want {
		t.Errorf("BodyETag = %s, ETag = %s", got, want)
	}
	if got, want := rendercache.ETag("abc"), `"ungWv48Bz-pBQUDeXa4iIw"`; got != want {
		t.Errorf(`ETag("abc") = %s, want %s`, got, want)
	}
}
