package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/server/internal/testserver"
	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// TestLogosAreServedFromMemory: /logos/{id} read the database on every
// request. With the logo tables locked by another transaction, the logos
// must still be served (and revalidated) at once; a new upload must reach
// this instance at once and another instance through the change events.
func TestLogosAreServedFromMemory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testserver.Start(t)
	other := srv.Another(t)
	withUpload, err := srv.Admin.CreateChannel(ctx, api.ChannelCreate{Name: "up", Title: "Up"})
	if err != nil {
		t.Fatal(err)
	}
	linked, err := srv.Admin.CreateChannel(ctx, api.ChannelCreate{Name: "linked", Title: "Linked", LogoURL: "http://logos.example/l.png"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	pngLogo := b.Bytes()
	// Warm the cache only once the upload's own change has come back from
	// PostgreSQL: it empties the entry again, as it must.
	heard := changeHeard(srv, "channel", withUpload.ID)
	if _, err := srv.Admin.SetChannelLogo(ctx, withUpload.ID, pngLogo); err != nil {
		t.Fatal(err)
	}
	select {
	case <-heard:
	case <-time.After(10 * time.Second):
		t.Fatal("the upload's change never came back")
	}
	upURL, linkedURL := fmt.Sprintf("/logos/%d", withUpload.ID), fmt.Sprintf("/logos/%d", linked.ID)
	first, _ := get(t, srv.URL+upURL)
	etag := first.Header.Get("ETag")
	if first.StatusCode != http.StatusOK || etag == "" {
		t.Fatalf("first request: got %d with ETag %q, want 200 with one", first.StatusCode, etag)
	}
	if resp, err := quickGet(srv.URL + linkedURL); err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("logo_url channel: got %v, %v; want 302", resp, err)
	}
	logoOn(t, other.URL+upURL, "image/png") // warms the other instance

	unlock := lockTables(t, srv.DSN(), "channel_logos", "channels")
	for _, tc := range []struct {
		url, ifNoneMatch string
		status           int
	}{
		{upURL, "", http.StatusOK},
		{upURL, etag, http.StatusNotModified},
		{linkedURL, "", http.StatusFound},
	} {
		resp, err := quickGet(srv.URL+tc.url, "If-None-Match", tc.ifNoneMatch)
		if err != nil || resp.StatusCode != tc.status {
			t.Errorf("GET %s (If-None-Match %q) with the tables locked: got %v, %v; want %d from memory", tc.url, tc.ifNoneMatch, resp, err, tc.status)
		}
	}
	unlock()

	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)
	if _, err := srv.Admin.SetChannelLogo(ctx, withUpload.ID, svg); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, srv.URL+upURL); resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("after a new upload this instance serves %q, want image/svg+xml", resp.Header.Get("Content-Type"))
	}
	logoOn(t, other.URL+upURL, "image/svg+xml")
}

// changeHeard is closed once srv has applied a change of entity id.
func changeHeard(srv *testserver.Server, entity api.Entity, id int64) <-chan struct{} {
	heard := make(chan struct{})
	var once sync.Once
	srv.App.SetEventSink(func(e api.Event) {
		var c api.Change
		if e.Type == api.EventChange && json.Unmarshal(e.Data, &c) == nil && c.Entity == entity && c.ID == strconv.FormatInt(id, 10) {
			once.Do(func() { close(heard) })
		}
	})
	return heard
}

// logoOn waits up to five seconds for url to serve a logo of contentType.
func logoOn(t *testing.T, url, contentType string) {
	t.Helper()
	var got string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, _ := get(t, url)
		if got = resp.Header.Get("Content-Type"); resp.StatusCode == http.StatusOK && got == contentType {
			return
		}
	}
	t.Errorf("%s serves %q, want %s", url, got, contentType)
}

// quickGet is a GET that gives up after two seconds: a request that waits
// for a locked table would wait for as long as the lock is held.
func quickGet(url string, header ...string) (*http.Response, error) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] != "" {
			req.Header.Set(header[i], header[i+1])
		}
	}
	c := &http.Client{Timeout: 2 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

// lockTables holds an exclusive lock on tables until unlock (or the end of
// the test), so any query on them waits.
func lockTables(t *testing.T, dsn string, tables ...string) (unlock func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE "+strings.Join(tables, ", ")+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	done := false
	unlock = func() {
		if !done {
			done = true
			_ = tx.Rollback(ctx)
			_ = conn.Close(ctx)
		}
	}
	t.Cleanup(unlock)
	return unlock
}
