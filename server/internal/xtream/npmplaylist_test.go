package xtream_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestNPMPlaylistParser reads get.php's m3u_plus playlist with
// iptv-playlist-parser (iptv-org, npm), an M3U reader written outside this
// project, and follows every stream URL it found: each entry must carry the
// name, guide id, logo and group an app shows, and each URL must reach its
// stream.
func TestNPMPlaylistParser(t *testing.T) {
	node := requireNPMClient(t)
	srv := newServer(t)
	res, body := get(t, srv.URL+"/get.php?"+creds+"&type=m3u_plus&output=ts")
	if res.StatusCode != 200 {
		t.Fatalf("get.php: %d %s", res.StatusCode, body)
	}
	cmd := exec.CommandContext(t.Context(), node, "playlist.mjs")
	cmd.Dir = npmClientDir
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node playlist.mjs: %v\n%s", err, stderr.Bytes())
	}
	type item struct{ Name, TVGID, TVGName, Logo, Group, URL string }
	var parsed struct {
		Header map[string]string
		Items  []item
	}
	if err := json.Unmarshal(out, &parsed); err != nil {
		t.Fatalf("parser output: %v: %s", err, out)
	}
	if want := "https://tv.example.net/xmltv.php?" + creds; parsed.Header["x-tvg-url"] != want {
		t.Errorf("x-tvg-url = %q, want %q", parsed.Header["x-tvg-url"], want)
	}
	want := map[string]item{
		// Logos are served from the external URL; a channel without a
		// guide id is keyed by its stream name.
		"Channel One": {Name: "Channel One", TVGID: "one.example", TVGName: "Channel One", Logo: "https://tv.example.net/logos/1", Group: "News"},
		"Channel Two": {Name: "Channel Two", TVGID: "ch2", TVGName: "Channel Two", Logo: "https://tv.example.net/logos/2", Group: "Sport"},
		"Free Four":   {Name: "Free Four", TVGID: "ch4", TVGName: "Free Four"},
		"Film":        {Name: "Film", TVGName: "Film", Group: "Movies"},
		"Night Train": {Name: "Night Train", TVGName: "Night Train", Logo: "https://img.example.net/p/nt.jpg", Group: "Movies"},
		"Harbour Lights S00E01": {Name: "Harbour Lights S00E01", TVGName: "Harbour Lights S00E01",
			Logo: "https://img.example.net/e/x.jpg", Group: "Drama"},
		"Harbour Lights S01E01": {Name: "Harbour Lights S01E01", TVGName: "Harbour Lights S01E01",
			Logo: "https://img.example.net/e/x.jpg", Group: "Drama"},
		"Harbour Lights S01E02": {Name: "Harbour Lights S01E02", TVGName: "Harbour Lights S01E02",
			Logo: "https://img.example.net/e/x.jpg", Group: "Drama"},
		"Tiny Tales S01E01": {Name: "Tiny Tales S01E01", TVGName: "Tiny Tales S01E01", Group: "Kids"},
	}
	if len(parsed.Items) != len(want) {
		t.Errorf("parser found %d entries, want %d: %+v", len(parsed.Items), len(want), parsed.Items)
	}
	for _, it := range parsed.Items {
		w, ok := want[it.Name]
		got := it
		got.URL = ""
		if !ok || got != w {
			t.Errorf("entry %+v, want %+v", it, w)
			continue
		}
		path, found := strings.CutPrefix(it.URL, "https://tv.example.net")
		if !found {
			t.Errorf("%s: URL %q is not on the external URL", it.Name, it.URL)
			continue
		}
		if res, body := get(t, srv.URL+path); res.StatusCode != 302 {
			t.Errorf("%s: %s answered %d %s, want a redirect to the stream", it.Name, path, res.StatusCode, body)
		}
	}
}
