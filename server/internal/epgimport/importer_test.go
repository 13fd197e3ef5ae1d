package epgimport_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/epgimport"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// writeGuide writes an XMLTV guide of at least size bytes whose programmes
// start at from, and returns how many channels and programmes it holds.
func writeGuide(w io.Writer, from time.Time, size int64) (channels, programmes int) {
	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 64<<10)
	fmt.Fprint(bw, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tv generator-info-name=\"test\">\n")
	for channels = 0; channels < 300; channels++ {
		fmt.Fprintf(bw, "  <channel id=\"ch%d.example\">\n    <display-name>Channel %d</display-name>\n"+
			"    <icon src=\"https://x.example/logo/%d.png\"/>\n  </channel>\n", channels, channels, channels)
	}
	for ; cw.n+int64(bw.Buffered()) < size; programmes++ {
		at := from.Add(time.Duration(programmes/channels) * 30 * time.Minute)
		fmt.Fprintf(bw, "  <programme start=\"%s\" stop=\"%s\" channel=\"ch%d.example\">\n"+
			"    <title lang=\"en\">Programme %d</title>\n    <sub-title>Part &amp; parcel</sub-title>\n"+
			"    <desc lang=\"en\">Пример описания передачи номер %d, with enough text to look like a real guide entry.</desc>\n"+
			"    <category lang=\"en\">News</category>\n    <episode-num system=\"xmltv_ns\">0.%d.</episode-num>\n  </programme>\n",
			at.Format("20060102150405 -0700"), at.Add(30*time.Minute).Format("20060102150405 -0700"),
			programmes%channels, programmes, programmes, programmes%100)
	}
	fmt.Fprint(bw, "</tv>\n")
	bw.Flush()
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

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// guideServer serves whatever body holds at /guide.xml on loopback and counts requests.
type guideServer struct {
	*httptest.Server
	mu   sync.Mutex
	body []byte
	hits atomic.Int64
}

func newGuideServer(t *testing.T, body []byte) *guideServer {
	gs := &guideServer{body: body}
	gs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gs.hits.Add(1)
		gs.mu.Lock()
		b := gs.body
		gs.mu.Unlock()
		http.ServeContent(w, r, "guide.xml", time.Time{}, bytes.NewReader(b))
	}))
	t.Cleanup(gs.Close)
	return gs
}

func (gs *guideServer) set(b []byte) {
	gs.mu.Lock()
	gs.body = b
	gs.mu.Unlock()
}

// events records what the importer publishes.
type events struct {
	mu  sync.Mutex
	got []api.Event
}

func (e *events) publish(ev api.Event) {
	e.mu.Lock()
	e.got = append(e.got, ev)
	e.mu.Unlock()
}

func (e *events) ofType(typ string) []api.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []api.Event
	for _, ev := range e.got {
		if ev.Type == typ {
			out = append(out, ev)
		}
	}
	return out
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type bundle struct {
	store  *store.Store
	im     *epgimport.Importer
	events *events
	clock  *clock
}

func setup(t *testing.T) bundle {
	t.Helper()
	b := bundle{store: storetest.New(t), events: &events{}, clock: &clock{t: time.Now()}}
	b.im = epgimport.New(epgimport.Config{Store: b.store, Logger: slog.New(slog.DiscardHandler),
		Publish: b.events.publish, Now: b.clock.now})
	t.Cleanup(b.im.Wait)
	return b
}

func (b bundle) source(t *testing.T, name, url string) api.EPGSource {
	t.Helper()
	src, err := b.store.CreateEPGSource(context.Background(), api.SystemActor("test"),
		api.EPGSource{Name: name, URL: url, Enabled: true, IntervalHours: 2, DaysKeep: 1, AllowPrivateNetwork: true})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func smallGuide(t *testing.T, from time.Time) ([]byte, int) {
	t.Helper()
	var buf bytes.Buffer
	_, n := writeGuide(&buf, from, 200<<10)
	return buf.Bytes(), n
}

func TestImportBrokenGuideKeepsPreviousGuide(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	from := time.Now().Truncate(time.Hour)
	good, programmes := smallGuide(t, from)
	tests := []struct {
		name   string
		broken []byte
	}{
		{"Truncated", good[:len(good)/2]},
		{"TruncatedGzip", func() []byte { z := gzipBytes(good); return z[:len(z)-100] }()},
		{"NotXML", []byte("<html><body>502 Bad Gateway</body></html> oops")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			gs := newGuideServer(t, good)
			src := b.source(t, "main", gs.URL+"/guide.xml")
			if done, err := b.im.Import(ctx, src.ID); err != nil || done.Programmes != programmes {
				t.Fatalf("good import: got %+v, %v; want %d programmes", done, err, programmes)
			}
			gs.set(tt.broken)
			done, err := b.im.Import(ctx, src.ID)
			if err == nil || done.Result != api.EPGResultError {
				t.Fatalf("broken import: got %+v, %v; want an error", done, err)
			}
			got, _ := b.store.FindEPGSourceByID(ctx, src.ID)
			if got.LastResult != api.EPGResultError || got.LastError == "" || got.ProgrammeCount != programmes {
				t.Errorf("source: got result %q error %q count %d, want error, a message, %d", got.LastResult,
					got.LastError, got.ProgrammeCount, programmes)
			}
			if n, _ := b.store.CountProgrammes(ctx, src.ID); n != programmes {
				t.Errorf("programmes kept: got %d, want %d", n, programmes)
			}
			nn, err := b.store.FindNowNext(ctx, []string{"ch0.example"}, from.Add(time.Minute))
			if err != nil || nn["ch0.example"][0].Title != "Programme 0" {
				t.Errorf("now on ch0 after the broken import: got %+v, %v; want Programme 0", nn["ch0.example"][0], err)
			}
			if dones := b.events.ofType(api.EventEPGDone); len(dones) != 2 {
				t.Errorf("done events: got %d, want 2", len(dones))
			}
		})
	}
}

func TestImportFailsOnHTTPError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ts := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(ts.Close)
	src := b.source(t, "main", ts.URL+"/guide.xml")
	if _, err := b.im.Import(context.Background(), src.ID); err == nil {
		t.Fatal("got no error for a 404, want one")
	}
	got, _ := b.store.FindEPGSourceByID(context.Background(), src.ID)
	if got.LastResult != api.EPGResultError || got.LastRunAt == nil {
		t.Errorf("got result %q run at %v, want error and a time", got.LastResult, got.LastRunAt)
	}
}

func TestScheduleAndOnDemand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	guide, _ := smallGuide(t, time.Now().Truncate(time.Hour))
	gs := newGuideServer(t, guide)
	src := b.source(t, "main", gs.URL+"/guide.xml") // every 2 hours
	off := b.source(t, "off", gs.URL+"/guide.xml")
	enabled := false
	if _, err := b.store.UpdateEPGSource(ctx, api.SystemActor("test"), off.ID,
		api.EPGSourceUpdate{Enabled: &enabled, Version: off.Version}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		advance time.Duration
		want    int
	}{
		{"NeverRun", 0, 1},
		{"NotDueYet", time.Hour, 0},
		{"DueAfterInterval", time.Hour, 1},
	}
	for _, st := range steps {
		b.clock.add(st.advance)
		started := b.im.RunDue(ctx)
		b.im.Wait()
		if len(started) != st.want || (st.want == 1 && started[0] != src.ID) {
			t.Errorf("%s: started %v, want %d run of source %d", st.name, started, st.want, src.ID)
		}
	}
	if got := gs.hits.Load(); got != 2 {
		t.Errorf("downloads after the schedule: got %d, want 2", got)
	}
	st, err := b.im.Start(ctx, src.ID)
	if err != nil || st.ID != src.ID {
		t.Fatalf("start: got %+v, %v", st, err)
	}
	b.im.Wait()
	if got := gs.hits.Load(); got != 3 {
		t.Errorf("downloads after an on-demand run: got %d, want 3", got)
	}
	if _, err := b.im.Start(ctx, 999); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("start unknown source: got %v, want not_found", err)
	}
}

// TestProgressWhileRunning serves half a guide, then holds the rest back
// until the test has seen the import's progress.
func TestProgressWhileRunning(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	var guide bytes.Buffer
	_, programmes := writeGuide(&guide, time.Now().Truncate(time.Hour), 4<<20)
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(guide.Len()))
		half := guide.Len() / 2
		w.Write(guide.Bytes()[:half])
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.Write(guide.Bytes()[half:])
	}))
	t.Cleanup(ts.Close)
	src := b.source(t, "slow", ts.URL+"/guide.xml")
	if _, err := b.im.Start(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	var p api.EPGProgress
	for i := 0; i < 3000 && (p.Programmes == 0 || p.BytesRead < int64(guide.Len()/2)); i++ {
		var running bool
		if p, running = b.im.Progress(src.ID); !running {
			t.Fatal("import is not running while its source holds the guide back")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	if p.Programmes == 0 || p.BytesRead != int64(guide.Len()/2) || p.BytesTotal != int64(guide.Len()) {
		t.Errorf("progress while held: got %+v, want programmes > 0, %d of %d bytes", p, guide.Len()/2, guide.Len())
	}
	st, err := b.im.Status(ctx, src.ID)
	if err != nil || (st.Running && st.Progress == nil) {
		t.Errorf("status: got %+v, %v", st, err)
	}
	b.im.Wait()
	if _, running := b.im.Progress(src.ID); running {
		t.Error("still running after Wait")
	}
	if len(b.events.ofType(api.EventEPGProgress)) == 0 {
		t.Error("got no progress events")
	}
	dones := b.events.ofType(api.EventEPGDone)
	var done api.EPGDone
	if len(dones) == 1 {
		json.Unmarshal(dones[0].Data, &done)
	}
	if done.Result != api.EPGResultOK || done.Programmes != programmes {
		t.Errorf("done event: got %+v, want ok with %d programmes", done, programmes)
	}
}

// TestImportRefusesPrivateNetwork is the attack of a source whose URL points
// inside the server's network: with allow_private_network off (the default)
// the import fails naming the source and the address, and the guide server
// is never reached.
func TestImportRefusesPrivateNetwork(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t)
	guide, programmes := smallGuide(t, time.Now().Truncate(time.Hour))
	gs := newGuideServer(t, guide)
	src, err := b.store.CreateEPGSource(ctx, api.SystemActor("test"),
		api.EPGSource{Name: "inside", URL: gs.URL + "/guide.xml", Enabled: true, DaysKeep: 1})
	if err != nil {
		t.Fatal(err)
	}
	done, err := b.im.Import(ctx, src.ID)
	if err == nil || done.Result != api.EPGResultError {
		t.Fatalf("got %+v, %v; want the loopback source refused", done, err)
	}
	for _, want := range []string{`epg source "inside"`, "loopback", "allow_private_network"} {
		if !strings.Contains(done.Error, want) {
			t.Errorf("error %q does not say %q", done.Error, want)
		}
	}
	if n := gs.hits.Load(); n != 0 {
		t.Errorf("guide server got %d requests, want none", n)
	}
	allow := true
	if _, err := b.store.UpdateEPGSource(ctx, api.SystemActor("test"), src.ID,
		api.EPGSourceUpdate{AllowPrivateNetwork: &allow, Version: src.Version}); err != nil {
		t.Fatal(err)
	}
	if done, err := b.im.Import(ctx, src.ID); err != nil || done.Programmes != programmes {
		t.Errorf("allowed: got %+v, %v; want %d programmes", done, err, programmes)
	}
}
