package configext_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"canale/server/internal/configext"
	"canale/server/internal/fleet"
	"canale/server/internal/pgsql"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// pipelineSeed has one streamer per role; the edge step has two. The
// streamers are never polled: they are identified by their URLs' hosts.
func pipelineSeed() store.Seed {
	st := func(name string) store.SeedStreamer {
		return store.SeedStreamer{Name: name, APIURL: "http://" + name + ".test:8080", PublicURL: "https://" + name + ".example.com"}
	}
	return store.Seed{
		ExternalURL: "https://canale.example.com",
		Streamers:   []store.SeedStreamer{st("ing"), st("tr"), st("dvr"), st("e1"), st("e2")},
		Pipelines: []store.SeedPipeline{{Name: "full", Steps: []store.SeedStep{
			{Role: "ingest", Placement: "one", Streamers: []string{"ing"}},
			{Role: "transcode", Placement: "one", Streamers: []string{"tr"}},
			{Role: "dvr", Placement: "one", Streamers: []string{"dvr"}},
			{Role: "edge", Placement: "all", Streamers: []string{"e1", "e2"}},
		}}},
		Channels: []store.SeedChannel{
			{Name: "ch1", Title: "One", Pipeline: "full", DVRDays: 3, Sources: []store.FleetSource{
				{URL: "udp://239.0.0.1:1234", Priority: 1}, {URL: "hls://backup.example/ch1/index.m3u8", Priority: 2}}},
			{Name: "nopipe", Title: "Not placed"},
		},
	}
}

type server struct {
	url    string
	engine *gin.Engine
	mgr    *fleet.Manager
	secret string
}

// startB loads the catalog into a Manager and mounts the handler as the
// app does.
func startB(tb testing.TB, s *store.Store) *server {
	tb.Helper()
	m := fleet.NewManager(fleet.ManagerConfig{Catalog: s})
	if err := m.Reload(context.Background()); err != nil {
		tb.Fatal(err)
	}
	gin.SetMode(gin.TestMode)
	e := gin.New()
	(&configext.Handler{Source: m}).Register(e.Group("/flussonic/:secret"))
	return &server{engine: e, mgr: m, secret: m.StreamerSecret()}
}

func start(t *testing.T, s *store.Store) *server {
	t.Helper()
	srv := startB(t, s)
	ts := httptest.NewServer(srv.engine)
	t.Cleanup(ts.Close)
	srv.url = ts.URL
	return srv
}

type answer struct {
	status int
	body   []byte
}

func (s *server) get(t *testing.T, secret string, q url.Values) answer {
	t.Helper()
	resp, err := http.Get(s.url + "/flussonic/" + secret + "/config/streams?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, b}
}

func streams(t *testing.T, a answer) []fleet.StreamConfig {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("got status %d (%s), want 200", a.status, a.body)
	}
	var body struct {
		Streams []fleet.StreamConfig `json:"streams"`
		Next    *string              `json:"next"`
	}
	if err := json.Unmarshal(a.body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Next != nil {
		t.Errorf("got next %q: the whole list must fit one page", *body.Next)
	}
	return body.Streams
}

func seeded(t *testing.T) *server {
	t.Helper()
	s := storetest.New(t)
	if err := s.Seed(context.Background(), pipelineSeed()); err != nil {
		t.Fatal(err)
	}
	return start(t, s)
}

func TestStreamsPerRole(t *testing.T) {
	srv := seeded(t)
	auth := &fleet.StreamAuth{URL: "https://canale.example.com/flussonic/" + srv.secret + "/auth"}
	pull := func(host string) []fleet.StreamInput {
		return []fleet.StreamInput{{URL: "m4f://" + host + ".test:8080/ch1", Priority: 1}}
	}
	labels := func(role string) map[string]string {
		return map[string]string{"canale_pipeline": "full", "canale_role": role}
	}
	edge := fleet.StreamConfig{Name: "ch1", Title: "One", Static: true, Inputs: pull("dvr"), OnPlay: auth, Labels: labels("edge")}
	tests := []struct {
		name  string
		param string
		host  string
		want  []fleet.StreamConfig
	}{
		{"Ingest", "host", "ing.test", []fleet.StreamConfig{{Name: "ch1", Title: "One", Static: true, Labels: labels("ingest"),
			Inputs: []fleet.StreamInput{{URL: "udp://239.0.0.1:1234", Priority: 1}, {URL: "hls://backup.example/ch1/index.m3u8", Priority: 2}}}}},
		{"Transcode", "client_host", "tr.test", []fleet.StreamConfig{{Name: "ch1", Title: "One", Static: true,
			Inputs: pull("ing"), Labels: labels("transcode")}}},
		{"DVR", "host", "DVR.test", []fleet.StreamConfig{{Name: "ch1", Title: "One", Static: true, Inputs: pull("tr"),
			DVR: &fleet.StreamDVR{Root: fleet.DVRRoot, Expiration: 3 * 86400}, Labels: labels("dvr")}}},
		{"EdgeByPublicHost", "host", "e1.example.com", []fleet.StreamConfig{edge}},
		{"EdgeByHostPort", "client_host", "e2.test:8080", []fleet.StreamConfig{edge}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := streams(t, srv.get(t, srv.secret, url.Values{tc.param: {tc.host}}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("streams for %s=%s (-want +got):\n%s", tc.param, tc.host, diff)
			}
		})
	}
}

func TestOnlyWritableFields(t *testing.T) {
	srv := seeded(t)
	a := srv.get(t, srv.secret, url.Values{"host": {"e1.test"}})
	var raw struct {
		Streams []map[string]any `json:"streams"`
	}
	if err := json.Unmarshal(a.body, &raw); err != nil || len(raw.Streams) != 1 {
		t.Fatalf("got %s, want one stream", a.body)
	}
	for _, denied := range []string{"stats", "named_by", "position", "template", "disabled", "config_on_disk", "srt_port_resolve"} {
		if _, ok := raw.Streams[0][denied]; ok {
			t.Errorf("stream carries %q, a field config_external may not set", denied)
		}
	}
}

func TestNameLookup(t *testing.T) {
	srv := seeded(t)
	tests := []struct {
		name, names string
		want        []string
	}{
		{"Placed", "ch1", []string{"ch1"}},
		{"PlacedAndUnknown", "zzz,ch1", []string{"ch1"}},
		{"NotPlacedHere", "nopipe", nil},
		{"Empty", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := streams(t, srv.get(t, srv.secret, url.Values{"host": {"e1.test"}, "name": {tc.names}}))
			var names []string
			for _, s := range got {
				names = append(names, s.Name)
			}
			if strings.Join(names, ",") != strings.Join(tc.want, ",") {
				t.Errorf("name=%s: got %v, want %v", tc.names, names, tc.want)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	srv := seeded(t)
	tests := []struct {
		name   string
		secret string
		q      url.Values
		status int
	}{
		{"WrongSecret", "nope", url.Values{"host": {"e1.test"}}, http.StatusForbidden},
		{"UnknownHost", srv.secret, url.Values{"host": {"stranger.test"}}, http.StatusNotFound},
		{"NoHost", srv.secret, url.Values{}, http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := srv.get(t, tc.secret, tc.q)
			var body struct {
				Errors []struct {
					Status, Title string
				} `json:"errors"`
			}
			if a.status != tc.status || json.Unmarshal(a.body, &body) != nil || len(body.Errors) != 1 {
				t.Errorf("got %d %s, want %d with a Flussonic error body", a.status, a.body, tc.status)
			}
		})
	}
}

// TestDatabaseDown stops a private PostgreSQL under a loaded manager: the
// next reload fails and config_external must answer 5xx, never a list a
// streamer would take as complete.
func TestDatabaseDown(t *testing.T) {
	dir, err := os.MkdirTemp("", "cdb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cluster := &pgsql.Cluster{Dir: dir, Throwaway: true}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := cluster.Start(ctx); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("start PostgreSQL: %v", err)
		}
		t.Skipf("no PostgreSQL: %v", err)
	}
	t.Cleanup(cluster.Stop)
	s, err := store.Open(ctx, cluster.DSN("postgres"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(ctx, pipelineSeed()); err != nil {
		t.Fatal(err)
	}
	srv := start(t, s)
	q := url.Values{"host": {"e1.test"}}
	if got := streams(t, srv.get(t, srv.secret, q)); len(got) != 1 {
		t.Fatalf("got %d streams with the database up, want 1", len(got))
	}
	cluster.Stop()
	if err := srv.mgr.Reload(ctx); err == nil {
		t.Fatal("reload succeeded with the database stopped")
	}
	if a := srv.get(t, srv.secret, q); a.status < 500 {
		t.Errorf("got %d %s with the database down, want 5xx", a.status, a.body)
	}
}
