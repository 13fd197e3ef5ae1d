package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testtools"
	"canale/shared/client"
)

var adminPasswordLine = regexp.MustCompile(`(?m)^password: (\S+)$`)

// demoAdmin signs in as the printed admin.
func demoAdmin(t *testing.T, base, out string) *client.Client {
	t.Helper()
	m := adminPasswordLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no admin password line:\n%s", out)
	}
	c := client.New(base, nil)
	if _, err := c.Login(context.Background(), "admin", m[1]); err != nil {
		t.Fatalf("sign in as the demo admin: %v", err)
	}
	return c
}

// checkDemoQuiet: a demo that just started has raised no alert; its
// streamers answered from the first poll, so nobody sees "stopped
// answering" followed by "answering again".
func checkDemoQuiet(t *testing.T, c *client.Client) {
	t.Helper()
	alerts, err := c.Alerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		t.Errorf("alert at demo start: %s %s: %s", a.Severity, a.Kind, a.Message)
	}
}

// xcGet decodes an XC player_api action as the demo subscriber.
func xcGet(t *testing.T, base, password, action string, v any, extra ...string) {
	t.Helper()
	q := url.Values{"username": {"demo"}, "password": {password}, "action": {action}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	res, err := http.Get(base + "/player_api.php?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v: %s", action, err, b)
	}
}

// checkDemoContent: every channel has a logo that loads and a guide with
// now and next; Canale News has catch-up whose archive plays; and ffprobe,
// a player someone else wrote, finds H.264 and AAC behind the printed
// playback URL (Canale's balancer, the edge's on_play check, the stream).
func checkDemoContent(t *testing.T, base, out string) (news int64) {
	t.Helper()
	m := subscriberPasswordLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no subscriber password in %s", out)
	}
	password := m[1]
	var live []struct {
		StreamID  int64  `json:"stream_id"`
		Name      string `json:"name"`
		Icon      string `json:"stream_icon"`
		TVArchive int    `json:"tv_archive"`
	}
	xcGet(t, base, password, "get_live_streams", &live)
	if len(live) != 4 {
		t.Fatalf("demo live streams: %+v, want 4", live)
	}
	for _, ch := range live {
		if ch.Name == "Canale News" {
			news = ch.StreamID
		}
		if (ch.TVArchive == 1) != (ch.Name == "Canale News") {
			t.Errorf("%s: tv_archive %d; only Canale News has catch-up", ch.Name, ch.TVArchive)
		}
		res, err := http.Get(ch.Icon)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(body, []byte("\x89PNG")) {
			t.Errorf("%s logo %s: %d %s", ch.Name, ch.Icon, res.StatusCode, res.Header.Get("Content-Type"))
		}
		var epg struct {
			Listings []struct {
				Start string `json:"start"`
				End   string `json:"end"`
			} `json:"epg_listings"`
		}
		xcGet(t, base, password, "get_short_epg", &epg, "stream_id", strconv.FormatInt(ch.StreamID, 10), "limit", "2")
		if len(epg.Listings) != 2 {
			t.Errorf("%s short EPG: %+v, want now and next", ch.Name, epg.Listings)
		}
	}
	start := time.Now().UTC().Add(-3 * time.Hour).Format("2006-01-02:15-04")
	res, err := http.Get(fmt.Sprintf("%s/timeshift/demo/%s/30/%s/%d.m3u8", base, password, start, news))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || strings.Count(string(body), "#EXTINF:") != 900 || !strings.Contains(string(body), "#EXT-X-ENDLIST") {
		t.Errorf("catch-up of News 3 h ago via %s: %d\n%.300s", res.Request.URL, res.StatusCode, body)
	}
	play := playbackLine.FindStringSubmatch(out)[1]
	for _, u := range []string{play, strings.Replace(play, "/index.m3u8", "/mpegts", 1)} {
		if codecs := probe(t, u); !slices.Contains(codecs, "h264") || !slices.Contains(codecs, "aac") {
			t.Errorf("ffprobe %s: codecs %v; want h264 and aac", u, codecs)
		}
	}
	return news
}

// checkDemoOnDemand plays the demo's first movie and first episode the way
// an XC app does (/movie/… and /series/…, redirected by Canale to an edge's
// VOD location), and ffprobe finds H.264 and AAC in the movie.
func checkDemoOnDemand(t *testing.T, base, out string) {
	t.Helper()
	password := subscriberPasswordLine.FindStringSubmatch(out)[1]
	var movies []struct {
		StreamID  int64  `json:"stream_id"`
		Extension string `json:"container_extension"`
	}
	xcGet(t, base, password, "get_vod_streams", &movies)
	var series []struct {
		SeriesID int64 `json:"series_id"`
	}
	xcGet(t, base, password, "get_series", &series)
	if len(movies) == 0 || len(series) == 0 {
		t.Fatalf("demo movies %+v, series %+v", movies, series)
	}
	var info struct {
		Episodes map[string][]struct {
			ID        string `json:"id"`
			Extension string `json:"container_extension"`
		} `json:"episodes"`
	}
	xcGet(t, base, password, "get_series_info", &info, "series_id", strconv.FormatInt(series[0].SeriesID, 10))
	if len(info.Episodes["1"]) == 0 {
		t.Fatalf("demo series has no first season: %+v", info)
	}
	movie := fmt.Sprintf("%s/movie/demo/%s/%d.%s", base, password, movies[0].StreamID, movies[0].Extension)
	episode := fmt.Sprintf("%s/series/demo/%s/%s.%s", base, password, info.Episodes["1"][0].ID, info.Episodes["1"][0].Extension)
	for _, u := range []string{movie, episode} {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 12)
		_, err = io.ReadFull(res.Body, head)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || err != nil || string(head[4:8]) != "ftyp" {
			t.Errorf("%s -> %s: %d %q, want an MP4", u, res.Request.URL, res.StatusCode, head)
		}
	}
	if codecs := probe(t, movie); !slices.Contains(codecs, "h264") || !slices.Contains(codecs, "aac") {
		t.Errorf("ffprobe %s: codecs %v; want h264 and aac", movie, codecs)
	}
}

// probe lists the codecs ffprobe finds at u.
func probe(t *testing.T, u string) []string {
	t.Helper()
	ffprobe, err := testtools.Look("ffprobe")
	if err != nil {
		testtools.Missing(t, "ffprobe not found", "apt-get install ffmpeg")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, ffprobe, "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", u)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("ffprobe %s: %v %s", u, err, stderr.String())
	}
	return strings.Fields(string(out))
}

// checkDemoBoxes: the demo's MAG box reads News's guide from the Stalker
// portal (the same imported guide), and the subscriber's HDHomeRun tuner
// relays a stream ffprobe decodes.
func checkDemoBoxes(t *testing.T, base, out string, news int64) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/c/portal.php?type=itv&action=get_short_epg&ch_id=%d&JsHttpRequest=1-xml", base, news), nil)
	req.Header.Set("Cookie", "mac=00%3A1A%3A79%3ADE%3A40%3A01")
	req.Header.Set("Authorization", "Bearer 0D9E6B2F4C1A7E3B5D8F0A2C4E6B8D1F")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var epg struct {
		JS []struct {
			Name string `json:"name"`
		} `json:"js"`
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if err := json.Unmarshal(b, &epg); err != nil || len(epg.JS) < 2 || epg.JS[0].Name == "" {
		t.Errorf("Stalker short EPG of News: %v %s; want now and next", err, b)
	}
	tuner := tunerLine.FindStringSubmatch(out)[1]
	if codecs := probe(t, tuner+"/auto/v1"); !slices.Contains(codecs, "h264") || !slices.Contains(codecs, "aac") {
		t.Errorf("ffprobe of the tuner's channel 1: codecs %v; want h264 and aac", codecs)
	}
}
