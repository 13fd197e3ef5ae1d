//go:build loadtest

package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

// importJobs are the imports and batches issue 21 names, each started the
// way an operator or a billing system starts it: through the admin API
// with the typed client, except the EPG import, which the server starts on
// its schedule (epgimport) from a guide it downloads, and the XC import,
// a command run on the server (xcJob).
func importJobs(t *testing.T, srv *testserver.Server, n int) []backgroundJob {
	c := client.New(srv.URL, &http.Client{Timeout: 30 * time.Minute}) // an import answers when it is done
	c.SetToken(srv.Admin.Token())
	imported := min(100_000, n/2)
	batch := min(200_000, n/5)
	return []backgroundJob{
		epgJob(t, srv, 100_000),
		xcJob(t, min(10_000, n/10), 2_000),
		m3uJob(c, 10_000),
		csvJob(t, c, srv, imported),
		{fmt.Sprintf("billing batch, %d extensions via the API, 4 at a time", batch), func(ctx context.Context, i int) error {
			return billingBatch(ctx, c, int64(i*batch)%int64(n), batch, n)
		}},
	}
}

// epgJob imports a guide of programmes programmes (500 channels) from a
// loopback web server, as the EPG importer downloads a source.
func epgJob(t *testing.T, srv *testserver.Server, programmes int) backgroundJob {
	dir := t.TempDir()
	if err := writeGuideFile(filepath.Join(dir, "guide.xml"), 500, programmes); err != nil {
		t.Fatal(err)
	}
	files := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(files.Close)
	// Disabled: the schedule must not start one of its own beside ours.
	src, err := srv.Admin.CreateEPGSource(context.Background(), api.EPGSource{Name: "load guide", URL: files.URL + "/guide.xml",
		IntervalHours: 24, DaysKeep: 1, AllowPrivateNetwork: true})
	if err != nil {
		t.Fatal(err)
	}
	return backgroundJob{fmt.Sprintf("EPG import, %d programmes", programmes), func(ctx context.Context, _ int) error {
		done, err := srv.App.EPG().Import(ctx, src.ID)
		if err == nil && done.Programmes != programmes {
			err = fmt.Errorf("EPG import stored %d programmes, want %d", done.Programmes, programmes)
		}
		return err
	}}
}

// writeGuideFile writes an XMLTV guide of channels channels and programmes
// programmes of half an hour each, starting now.
func writeGuideFile(name string, channels, programmes int) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tv>\n")
	for c := range channels {
		fmt.Fprintf(w, "<channel id=\"ch%d.load\"><display-name>Load %d</display-name></channel>\n", c, c)
	}
	from := time.Now().Truncate(time.Hour)
	for p := range programmes {
		at := from.Add(time.Duration(p/channels) * 30 * time.Minute)
		fmt.Fprintf(w, "<programme start=\"%s\" stop=\"%s\" channel=\"ch%d.load\"><title>Programme %d</title>"+
			"<desc>A programme of the load test, long enough to look like a real guide entry.</desc></programme>\n",
			at.Format("20060102150405 -0700"), at.Add(30*time.Minute).Format("20060102150405 -0700"), p%channels, p)
	}
	fmt.Fprint(w, "</tv>\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// m3uJob imports a playlist of channels channels; the first run creates
// them, the later ones update them, as a provider's playlist is re-imported.
func m3uJob(c *client.Client, channels int) backgroundJob {
	var b bytes.Buffer
	b.WriteString("#EXTM3U\n")
	for i := range channels {
		fmt.Fprintf(&b, "#EXTINF:-1 tvg-id=\"m3u%d.load\" group-title=\"Load %d\",M3U load channel %05d\nhttp://origin.load/live/%d.m3u8\n",
			i, i%20, i, i)
	}
	playlist := b.Bytes()
	return backgroundJob{fmt.Sprintf("M3U import, %d channels via the API", channels), func(ctx context.Context, _ int) error {
		rep, err := c.ImportChannels(ctx, playlist, api.ImportOptions{})
		if err == nil && rep.Created+rep.Updated != channels {
			err = fmt.Errorf("M3U import: created %d, updated %d, want %d in all (errors %v)", rep.Created, rep.Updated, channels,
				rep.Errors[:min(3, len(rep.Errors))])
		}
		return err
	}}
}

// csvJob imports rows subscribers from a CSV file through the API and waits
// until the read model holds them. As from another Canale, the passwords
// are argon2id hashes kept as they are, but for one line in a hundred,
// which is plaintext and hashed by the server.
func csvJob(t *testing.T, c *client.Client, srv *testserver.Server, rows int) backgroundJob {
	hash, err := credential.HashPassword("load-password")
	if err != nil {
		t.Fatal(err)
	}
	cat := srv.App.Catalog()
	return backgroundJob{fmt.Sprintf("CSV import, %d subscribers via the API, until loaded", rows), func(ctx context.Context, i int) error {
		var b strings.Builder
		b.WriteString("login,password,name,status\n")
		for j := range rows {
			pw := `"` + hash + `"`
			if j%100 == 0 {
				pw = fmt.Sprintf("plain-%d", j)
			}
			fmt.Fprintf(&b, "csv%d-%07d,%s,Load %d,active\n", i, j, pw, j)
		}
		before := cat.SubscriberCount()
		rep, err := c.ImportSubscribers(ctx, strings.NewReader(b.String()), true, false)
		if err != nil {
			return err
		}
		if rep.Created != rows {
			return fmt.Errorf("CSV import created %d, want %d", rep.Created, rows)
		}
		return until(ctx, func() bool { return cat.SubscriberCount() >= before+rows })
	}}
}

// billingBatch extends batch subscribers from first+1 on (wrapping at n)
// by 30 days, four requests at a time, as a billing system's nightly run.
func billingBatch(ctx context.Context, c *client.Client, first int64, batch, n int) error {
	ids := make(chan int64)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for id := range ids {
				if _, err := c.ExtendSubscriber(ctx, id, api.ExtendRequest{Days: 30}); err != nil {
					errs <- fmt.Errorf("extend subscriber %d: %w", id, err)
					return
				}
			}
		})
	}
	var err error
feed:
	for j := range int64(batch) {
		select {
		case ids <- (first+j)%int64(n) + 1:
		case err = <-errs:
			break feed
		}
	}
	close(ids)
	go func() { wg.Wait(); close(errs) }()
	for e := range errs {
		err = e
	}
	return err
}
