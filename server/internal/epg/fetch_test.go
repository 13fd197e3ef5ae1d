package epg

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// guideServer serves the sample guide, gzipped under /guide.xml.gz, and errors elsewhere.
func guideServer(t *testing.T) *httptest.Server {
	t.Helper()
	gz := gzipped(t, []byte(sampleGuide))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/guide.xml":
			io.WriteString(w, sampleGuide)
		case "/guide.xml.gz":
			w.Header().Set("Content-Type", "application/gzip")
			w.Write(gz)
		case "/stall":
			w.Write([]byte("<tv>"))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchAndParse(t *testing.T) {
	srv := guideServer(t)
	for _, path := range []string{"/guide.xml", "/guide.xml.gz"} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			d, err := Fetch(context.Background(), srv.Client(), srv.URL+path)
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			defer d.Close()
			st, err := Parse(context.Background(), d, func(Item) error { return nil })
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if st.Programmes != 3 || d.BytesRead() != st.Bytes || d.Size() != st.Bytes {
				t.Errorf("got %d programmes, %d bytes read, size %d, stats bytes %d; want 3 and all equal",
					st.Programmes, d.BytesRead(), d.Size(), st.Bytes)
			}
		})
	}
}

func TestFetchNotFound(t *testing.T) {
	srv := guideServer(t)
	_, err := Fetch(context.Background(), srv.Client(), srv.URL+"/missing")
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("got %v, want an error naming the 404", err)
	}
}

func TestFetchTooLarge(t *testing.T) {
	srv := guideServer(t)
	t.Run("ContentLength", func(t *testing.T) {
		_, err := fetch(context.Background(), srv.Client(), srv.URL+"/guide.xml", time.Minute, 100)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("got %v, want ErrTooLarge", err)
		}
	})
	t.Run("Body", func(t *testing.T) {
		d, err := fetch(context.Background(), srv.Client(), srv.URL+"/guide.xml", time.Minute, 1<<20)
		if err != nil {
			t.Fatalf("fetch: %v", err)
		}
		defer d.Close()
		d.size, d.limit = -1, 100 // as if the source sent no Content-Length
		_, err = Parse(context.Background(), d, func(Item) error { return nil })
		if !errors.Is(err, ErrTooLarge) || d.BytesRead() != 101 {
			t.Errorf("got %v after %d bytes, want ErrTooLarge after 101", err, d.BytesRead())
		}
	})
}

func TestFetchTimeout(t *testing.T) {
	srv := guideServer(t)
	d, err := fetch(context.Background(), srv.Client(), srv.URL+"/stall", 200*time.Millisecond, 1<<20)
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	defer d.Close()
	_, err = Parse(context.Background(), d, func(Item) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the download deadline", err)
	}
}

// TestFetchErrorsKeepTheURLsSecrets: XC-style guide URLs carry a username
// and password in their query, and a failed download's error reaches the
// log, the stored last error and every desktop app's event stream, read-only
// operators included. It must name the source without its secrets.
func TestFetchErrorsKeepTheURLsSecrets(t *testing.T) {
	srv := guideServer(t)
	for _, u := range []string{
		"http://127.0.0.1:1/xmltv.php?username=alice&password=SEKRET-Q", // refused connection
		"http://bob:SEKRET-P@127.0.0.1:1/guide.xml",                     // the same, password in user info
		srv.URL + "/missing?password=SEKRET-Q",                          // answered 404
		"http://[::1]:1/guide.xml?token=SEKRET-Q&x=%zz",                 // a query that does not parse
		"http://127.0.0.1:1/guide.xml?token=SEKRET-Q\x7f",               // a URL that does not parse
	} {
		_, err := Fetch(context.Background(), srv.Client(), u)
		if err == nil {
			t.Fatalf("%s: got no error", u)
		}
		if strings.Contains(err.Error(), "SEKRET") {
			t.Errorf("%s: the error shows a secret: %v", u, err)
		}
	}
}
