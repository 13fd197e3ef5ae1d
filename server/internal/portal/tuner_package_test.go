package portal_test

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"testing"

	"canale/server/internal/hdhomerun"
	"canale/server/internal/subscriberview/viewtest"
)

// packageTunerRow is one package's tuner on the playlists page: its name,
// then the URL in a <code> whose copy button names it.
var packageTunerRow = regexp.MustCompile(`<dt>([^<]+)</dt><dd><div class="copyable"><code id="(tuner-url-p\d+)">([^<]+)</code>` +
	`<button type="button" class="copy" data-copy="(tuner-url-p\d+)"`)

// TestPlaylistsShowPackageTuners: beside the whole tuner, the playlists
// page lists a tuner per package alice holds, by name, each with a copy
// button, and each is a tuner of that package alone: its discover.json
// names its own URL and DeviceID, and its lineup.json lists the package's
// channels and nothing else (not the free channel the whole tuner adds).
// The account page points there. Bob, who holds no package, gets no such
// list.
func TestPlaylistsShowPackageTuners(t *testing.T) {
	t.Parallel()
	e := start(t, "", `INSERT INTO packages (id, name) VALUES (2, 'Sports')`,
		`INSERT INTO package_channels (package_id, channel_id) VALUES (2, 2)`,
		`INSERT INTO subscriber_packages (subscriber_id, package_id) VALUES (1, 2)`)
	alice := client(t)
	signIn(t, e, alice, "alice", viewtest.Password)
	res, body := get(t, alice, e.url+"/playlists")
	whole := tunerCode.FindStringSubmatch(body)
	rows := packageTunerRow.FindAllStringSubmatch(body, -1)
	if res.StatusCode != http.StatusOK || whole == nil || len(rows) != 2 {
		t.Fatalf("playlists page: status %d, whole tuner %q, package tuners %q; want Basic's and Sports'", res.StatusCode, whole, rows)
	}
	var wholeDisc hdhomerun.Discover
	getTunerJSON(t, html.UnescapeString(whole[1])+"/discover.json", &wholeDisc)
	var wholeLineup []hdhomerun.LineupEntry
	getTunerJSON(t, wholeDisc.LineupURL, &wholeLineup)
	if got := guideNames(wholeLineup); !slices.Equal(got, []string{"Channel One", "Channel Two", "Free Four"}) {
		t.Fatalf("whole tuner lists %q", got)
	}
	want := map[string][]string{"Basic": {"Channel One", "Channel Two"}, "Sports": {"Channel Two"}}
	seen := map[string]bool{wholeDisc.DeviceID: true}
	for i, name := range []string{"Basic", "Sports"} { // by name, as the account page lists packages
		row := rows[i]
		u := html.UnescapeString(row[3])
		if row[1] != name || row[2] != row[4] {
			t.Errorf("row %d: %q with code %s and copy button for %s; want %s's", i, row[1], row[2], row[4], name)
		}
		var disc hdhomerun.Discover
		getTunerJSON(t, u+"/discover.json", &disc)
		if disc.BaseURL != u || disc.LineupURL != u+"/lineup.json" || seen[disc.DeviceID] {
			t.Errorf("%s tuner %s: discover.json %+v, want its own URL and a DeviceID of its own", name, u, disc)
		}
		seen[disc.DeviceID] = true
		var lineup []hdhomerun.LineupEntry
		getTunerJSON(t, disc.LineupURL, &lineup)
		if got := guideNames(lineup); !slices.Equal(got, want[name]) {
			t.Errorf("%s tuner lists %q, want %q", name, got, want[name])
		}
	}

	if _, body := get(t, alice, e.url+"/account"); !regexp.MustCompile(`<p id="tuners-hint"><a href="/playlists#tuner">`).MatchString(body) {
		t.Error("the account page does not point to the tuners on the Playlists page")
	}

	bob := client(t)
	signIn(t, e, bob, "bob", viewtest.Password)
	if res, body := get(t, bob, e.url+"/playlists"); res.StatusCode != http.StatusOK || !tunerCode.MatchString(body) ||
		packageTunerRow.MatchString(body) {
		t.Errorf("bob, who holds no package: status %d, whole tuner %v, package tuners %q; want only the whole tuner",
			res.StatusCode, tunerCode.MatchString(body), packageTunerRow.FindAllString(body, -1))
	}
}

// getTunerJSON fetches a tuner document as a media server does: no
// cookie, the URL is the secret.
func getTunerJSON(t *testing.T, u string, v any) {
	t.Helper()
	if res, body := get(t, client(t), u); res.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), v) != nil {
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, body)
	}
}

func guideNames(lineup []hdhomerun.LineupEntry) []string {
	out := make([]string, len(lineup))
	for i, ch := range lineup {
		out[i] = ch.GuideName
	}
	return out
}
