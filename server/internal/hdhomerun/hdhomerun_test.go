package hdhomerun

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func init() { gin.SetMode(gin.TestMode) }

const (
	tunerToken = "5c1b0e7f3a9d4e2b8f6c1a0d9e8b7c6a5c1b0e7f3a9d4e2b8f6c1a0d9e8b7c6a"
	site       = "https://tv.example.net"
)

var now = time.Date(2026, 12, 1, 20, 30, 0, 0, time.UTC)

// fakes answer for one subscriber, alice (id 7, two sessions).
type fakes struct {
	sub    subscriberview.Subscriber
	lineup subscriberview.Lineup
}

func (f *fakes) SubscriberIDByTunerToken(_ context.Context, token string) (int64, error) {
	if token != tunerToken {
		return 0, api.Errorf(api.CodeNotFound, "no such tuner")
	}
	return f.sub.ID, nil
}

func (f *fakes) SubscriberByID(_ context.Context, id int64) (subscriberview.Subscriber, error) {
	if id != f.sub.ID {
		return subscriberview.Subscriber{}, api.Errorf(api.CodeNotFound, "no such subscriber")
	}
	return f.sub, nil
}

func (f *fakes) Lineup(context.Context, subscriberview.Subscriber) (subscriberview.Lineup, error) {
	return f.lineup, nil
}

func newFakes() *fakes {
	return &fakes{
		sub: subscriberview.Subscriber{ID: 7, Login: "alice", Name: "Alice & Bob", Token: "tok-alice",
			Status: "active", MaxSessions: 2},
		lineup: subscriberview.Lineup{
			Channels: []subscriberview.Channel{
				{ID: 1, Name: "first", Title: "First Channel", Number: 101, EPGChannelID: "first.example", HasLogo: true},
				{ID: 2, Name: "sport", Title: "Sport <One>", Number: 102, EPGChannelID: "sport.example", CategoryID: 5},
				// No number, and a duplicate of 101: both get the next free numbers,
				// as every playlist numbers them. The HD variant shares sport's guide.
				{ID: 3, Name: "news", Title: "News"},
				{ID: 4, Name: "sport-hd", Title: "Sport One HD", Number: 101, EPGChannelID: "sport.example"},
			},
			LiveCategories: []subscriberview.Category{{ID: 5, Name: "Sports"}},
		},
	}
}

type noEdge struct{}

func (noEdge) Locate(string, string) (string, int) { return "", http.StatusServiceUnavailable }

func engine(f *fakes, loc Locator) *gin.Engine {
	guide := subscriberview.MemGuide{
		{Channel: "first.example", Start: now, Stop: now.Add(time.Hour), Title: "Evening News", Desc: "Headlines."},
		{Channel: "sport.example", Start: now, Stop: now.Add(2 * time.Hour), Title: "Derby"},
	}
	s := New(Deps{Tuners: f, Directory: f, Guide: guide, Locator: loc, Logger: slog.New(slog.DiscardHandler),
		ExternalURL: func() string { return site }, Now: func() time.Time { return now }})
	e := gin.New()
	s.Register(e.Group(Prefix))
	return e
}

func get(e http.Handler, path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}

// TestBodiesGolden pins every body a media server reads, byte for byte.
func TestBodiesGolden(t *testing.T) {
	e := engine(newFakes(), noEdge{})
	base := Prefix + "/" + tunerToken
	for _, tt := range []struct{ name, path, contentType string }{
		{"discover.json", "/discover.json", "application/json"},
		{"lineup.json", "/lineup.json", "application/json"},
		{"lineup_status.json", "/lineup_status.json", "application/json"},
		{"device.xml", "/device.xml", "application/xml; charset=utf-8"},
		{"xmltv.xml", "/xmltv.xml", "application/xml; charset=utf-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := get(e, base+tt.path)
			if w.Code != http.StatusOK || w.Header().Get("Content-Type") != tt.contentType {
				t.Fatalf("status %d, type %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
			}
			golden(t, tt.name, w.Body.Bytes())
		})
	}
}

// TestStrictTypes decodes discover.json and lineup.json into the types a
// strict client declares (spec §9.1, §9.3): TunerCount a number,
// GuideNumber a string, numbers unique and free of "_".
func TestStrictTypes(t *testing.T) {
	e := engine(newFakes(), noEdge{})
	base := Prefix + "/" + tunerToken
	var disc struct {
		DeviceID, BaseURL, LineupURL string
		TunerCount                   int
	}
	dec := json.NewDecoder(get(e, base+"/discover.json").Body)
	if err := dec.Decode(&disc); err != nil {
		t.Fatal(err)
	}
	if disc.TunerCount != 2 || disc.BaseURL != site+base || disc.LineupURL != site+base+"/lineup.json" {
		t.Errorf("discover: %+v", disc)
	}
	var id uint32
	if _, err := fmt.Sscanf(disc.DeviceID, "%08X", &id); err != nil || !ValidDeviceID(id) || len(disc.DeviceID) != 8 {
		t.Errorf("DeviceID %q does not pass libhdhomerun's checksum", disc.DeviceID)
	}
	var lineup []struct{ GuideNumber, GuideName, URL string }
	if err := json.Unmarshal(get(e, base+"/lineup.json").Body.Bytes(), &lineup); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ch := range lineup {
		if seen[ch.GuideNumber] || strings.Contains(ch.GuideNumber, "_") || strings.Contains(ch.URL, "?") {
			t.Errorf("lineup entry %+v: numbers must be unique, without _, URLs without a query", ch)
		}
		seen[ch.GuideNumber] = true
	}
}

// TestDeviceID checks the checksum against the spec's worked examples and
// real devices, and that derived ids are valid, stable and 105-prefixed.
func TestDeviceID(t *testing.T) {
	for _, id := range []uint32{0x1050A3C6, 0x10512343, 0x105FFFF9, 0x10500009, 0x10439EFD, 0x1010C032, 0x105902DB} {
		if !ValidDeviceID(id) {
			t.Errorf("%08X should pass the checksum", id)
		}
	}
	for _, id := range []uint32{0x12345678, 0x1050A3C7} {
		if ValidDeviceID(id) {
			t.Errorf("%08X should fail the checksum", id)
		}
	}
	for i := range 1000 {
		tok := fmt.Sprintf("token-%d", i)
		id := DeviceID(tok)
		if !ValidDeviceID(id) || id>>20 != 0x105 || DeviceID(tok) != id {
			t.Fatalf("DeviceID(%q) = %08X: want a stable, valid 105xxxxx id", tok, id)
		}
	}
}

// TestRefusals: an unknown or reset token is a bare 404 on every path; an
// account that may not watch gets 403; unknown channels 404; no edge 503
// with the HDHomeRun error detail.
func TestRefusals(t *testing.T) {
	f := newFakes()
	e := engine(f, noEdge{})
	base := Prefix + "/" + tunerToken
	for _, p := range []string{"/discover.json", "/lineup.json", "/auto/v101", "/xmltv.xml"} {
		if w := get(e, Prefix+"/not-a-tuner"+p); w.Code != http.StatusNotFound {
			t.Errorf("unknown token %s: %d, want 404", p, w.Code)
		}
	}
	for _, p := range []string{"/auto/v999", "/auto/101", "/auto/vfirst"} {
		if w := get(e, base+p); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
	}
	w := get(e, base+"/auto/v101?transcode=heavy")
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("X-HDHomeRun-Error") != errNoVideoData {
		t.Errorf("no edge: %d %q, want 503 %q", w.Code, w.Header().Get("X-HDHomeRun-Error"), errNoVideoData)
	}
	for _, post := range []string{"/lineup.post?scan=start&source=Cable", "/lineup.post?favorite=+101"} {
		req := httptest.NewRequest(http.MethodPost, base+post, nil)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
			t.Errorf("POST %s: %d %q, want 200 and no body", post, rec.Code, rec.Body)
		}
	}
	f.sub.ExpiresAt = now.Add(-time.Minute)
	if w := get(e, base+"/discover.json"); w.Code != http.StatusForbidden {
		t.Errorf("expired: %d, want 403", w.Code)
	}
	f.sub.ExpiresAt, f.sub.Status = time.Time{}, "banned"
	if w := get(e, base+"/auto/v101"); w.Code != http.StatusForbidden {
		t.Errorf("banned: %d, want 403", w.Code)
	}
}

// hlsEdge serves a live HLS playlist whose window moves on each fetch, and
// refuses a token it was told to.
func hlsEdge(t *testing.T, refuse string) *httptest.Server {
	seq := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/first/index.m3u8", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("token") == refuse {
			http.Error(w, "no", http.StatusForbidden)
			return
		}
		seq++
		fmt.Fprintf(w, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:%d\n", seq)
		for i := seq; i < seq+3; i++ {
			fmt.Fprintf(w, "#EXTINF:1.0,\nseg%d.ts?token=%s\n", i, r.URL.Query().Get("token"))
		}
	})
	mux.HandleFunc("/first/", func(w http.ResponseWriter, r *http.Request) {
		pkt := make([]byte, 188)
		pkt[0] = 0x47
		copy(pkt[4:], strings.TrimPrefix(r.URL.Path, "/first/"))
		w.Write(pkt)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

type fixedEdge string

func (e fixedEdge) Locate(path, q string) (string, int) {
	return string(e) + path + "?" + q, http.StatusFound
}

// TestRelayOrder: the relay starts at the newest segment and then writes
// each later segment once, in order, as TS; ?duration ends the stream.
func TestRelayOrder(t *testing.T) {
	edge := hlsEdge(t, "")
	srv := httptest.NewServer(engine(newFakes(), fixedEdge(edge.URL)))
	defer srv.Close()
	res, err := http.Get(srv.URL + Prefix + "/" + tunerToken + "/auto/v101?duration=2&transcode=heavy")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "video/mp2t" {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var got []string
	for p := body; len(p) >= 188; p = p[188:] {
		if p[0] != 0x47 {
			t.Fatalf("lost TS sync at %d", len(body)-len(p))
		}
		got = append(got, strings.TrimRight(string(p[4:12]), "\x00"))
	}
	if len(got) < 2 || got[0] != "seg3.ts" || got[1] != "seg4.ts" {
		t.Errorf("segments %v: want seg3.ts (newest of the first window), then seg4.ts, ...", got)
	}
}

// TestRelayRefused: an edge refusing the token (the session limit) is a 503
// "All Tuners In Use", never a 200 with nothing.
func TestRelayRefused(t *testing.T) {
	edge := hlsEdge(t, "tok-alice")
	e := engine(newFakes(), fixedEdge(edge.URL))
	w := get(e, Prefix+"/"+tunerToken+"/auto/v101")
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("X-HDHomeRun-Error") != errAllTunersInUse {
		t.Errorf("refused: %d %q, want 503 %q", w.Code, w.Header().Get("X-HDHomeRun-Error"), errAllTunersInUse)
	}
}

// TestRelayStalled: a live playlist that stops bringing segments ends the
// stream instead of holding the media server on a silent connection.
func TestRelayStalled(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/first/index.m3u8", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:1.0,\nseg7.ts\n")
	})
	mux.HandleFunc("/first/seg7.ts", func(w http.ResponseWriter, r *http.Request) {
		pkt := make([]byte, 188)
		pkt[0] = 0x47
		w.Write(pkt)
	})
	edge := httptest.NewServer(mux)
	defer edge.Close()
	srv := httptest.NewServer(engine(newFakes(), fixedEdge(edge.URL)))
	defer srv.Close()
	start := time.Now()
	res, err := http.Get(srv.URL + Prefix + "/" + tunerToken + "/auto/v101")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	took := time.Since(start)
	if res.StatusCode != http.StatusOK || len(body) != 188 || took < minStall || took > minStall+5*time.Second {
		t.Errorf("status %d, %d bytes, ended after %v; want the one segment, then the end after about %v",
			res.StatusCode, len(body), took, minStall)
	}
}
