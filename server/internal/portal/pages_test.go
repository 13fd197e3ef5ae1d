package portal_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"
	"canale/server/internal/subscriberview/viewtest"
)

// guideClock is the tests' clock: 12:10 UTC today, so a programme two
// hours ago and one two hours ahead are both on today's guide page.
func guideClock() time.Time {
	return time.Now().UTC().Truncate(24 * time.Hour).Add(12*time.Hour + 10*time.Minute)
}

// guideFixture is a day of half-hour programmes on ch1 (3 days of DVR)
// and ch2 (none), and one on ch1 four days ago, past its DVR depth.
func guideFixture(now time.Time) subscriberview.MemGuide {
	var g subscriberview.MemGuide
	day := now.Truncate(24 * time.Hour)
	for _, ch := range []playlist.Channel{{ID: 1, EPGID: "one.example"}, {ID: 2}} {
		id := playlist.TVGID(ch)
		for i := range 48 {
			start := day.Add(time.Duration(i) * 30 * time.Minute)
			g = append(g, playlist.Programme{Channel: id, Start: start, Stop: start.Add(30 * time.Minute),
				Title: fmt.Sprintf("Show %d of %s", i, id)})
		}
	}
	old := day.AddDate(0, 0, -4).Add(12 * time.Hour)
	return append(g, playlist.Programme{Channel: "one.example", Start: old, Stop: old.Add(time.Hour), Title: "Old news"})
}

func aliceClient(t *testing.T, e env) *http.Client {
	t.Helper()
	c := client(t)
	if res := signIn(t, e, c, "alice", viewtest.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: status %d", res.StatusCode)
	}
	return c
}

// TestChannelSearchAndFavourites works without JavaScript: the search is
// a GET form, the star a POST form with the CSRF token that returns to the
// page it was on; a forged form cannot star a channel outside the
// subscriber's packages nor send the subscriber to another site.
func TestChannelSearchAndFavourites(t *testing.T) {
	t.Parallel()
	e := startWith(t, startOptions{})
	c := aliceClient(t, e)

	_, body := get(t, c, e.url+"/channels?q=two")
	if !strings.Contains(body, `data-channel="ch2"`) || strings.Contains(body, `data-channel="ch1"`) {
		t.Errorf("search for %q: want ch2 only:\n%s", "two", body)
	}
	_, body = get(t, c, e.url+"/channels?cat=2")
	if !strings.Contains(body, `data-channel="ch2"`) || strings.Contains(body, `data-channel="ch1"`) {
		t.Errorf("category Sport: want ch2 only:\n%s", body)
	}

	tok := csrfOf(t, c, e.url+"/channels")
	star := func(channel, on, back string) (*http.Response, string) {
		return post(t, c, e.url+"/favourites", url.Values{"csrf": {tok}, "channel": {channel}, "on": {on}, "back": {back}})
	}
	res, _ := star("2", "1", "/channels?q=two")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/channels?q=two" {
		t.Errorf("star ch2: status %d to %q, want 303 to the page it was on", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = get(t, c, e.url+"/channels")
	favs := section(t, body, "favourites")
	if !strings.Contains(favs, `data-channel="ch2"`) || strings.Contains(favs, `data-channel="ch1"`) {
		t.Errorf("favourites section: want ch2 only:\n%s", favs)
	}
	if strings.Index(body, `id="favourites"`) > strings.Index(body, `id="cat-1"`) {
		t.Error("favourites are not first on the grid")
	}

	res, body = star("3", "1", "/channels") // ch3 is in her package but disabled
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, `id="problem-back" href="/channels"`) {
		t.Errorf("star a channel she cannot watch: status %d, want 404 linking the channel list:\n%s", res.StatusCode, body)
	}
	for _, back := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
		if res, _ := star("1", "1", back); res.Header.Get("Location") != "/channels" {
			t.Errorf("back %q: redirected to %q, want /channels", back, res.Header.Get("Location"))
		}
	}
	if res, _ := post(t, c, e.url+"/favourites", url.Values{"channel": {"1"}, "on": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("star without the CSRF token: status %d, want 403", res.StatusCode)
	}
	if res, _ := star("2", "0", "/channels"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unstar ch2: status %d", res.StatusCode)
	}
	if _, body = get(t, c, e.url+"/channels"); strings.Contains(section(t, body, "favourites"), `"ch2"`) {
		t.Error("ch2 still a favourite after unstarring")
	}

	// Recently watched is reported by the player, for watchable channels only.
	if res, _ := post(t, c, e.url+"/recent", url.Values{"csrf": {tok}, "channel": {"3"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("record disabled ch3: status %d, want 404", res.StatusCode)
	}
	if res, _ := post(t, c, e.url+"/recent", url.Values{"csrf": {tok}, "channel": {"2"}}); res.StatusCode != http.StatusNoContent {
		t.Errorf("record ch2: status %d, want 204", res.StatusCode)
	}
	_, body = get(t, c, e.url+"/channels")
	if !strings.Contains(section(t, body, "recent-row"), `data-recent="ch2"`) {
		t.Errorf("recently watched row lacks ch2:\n%s", body)
	}
}

// section returns the <section> with that id, or "" when there is none.
func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		t.Fatalf("section %s does not end", id)
	}
	return body[i : i+j]
}

var progBlock = regexp.MustCompile(`<(a|div) class="prog [^"]*"(?: href="([^"]*)")? data-start="(\d+)"`)

// guideLinks maps each programme start (unix seconds) of one channel row
// to its link, "" for a block without one.
func guideLinks(t *testing.T, body, channel string) map[int64]string {
	t.Helper()
	i := strings.Index(body, `data-channel="`+channel+`"`)
	if i < 0 {
		t.Fatalf("guide has no row for %s:\n%s", channel, body)
	}
	row := body[i:]
	if j := strings.Index(row[1:], `class="g-row"`); j >= 0 {
		row = row[:j+1]
	}
	out := map[int64]string{}
	for _, m := range progBlock.FindAllStringSubmatch(row, -1) {
		var start int64
		fmt.Sscan(m[3], &start)
		out[start] = strings.ReplaceAll(m[2], "&amp;", "&")
	}
	return out
}

// TestGuideCatchupWithinDVRDepth: a past programme links to catch-up only
// within the channel's DVR depth, the current one to live, a future one
// nowhere; the catch-up player plays the archive URL XC's timeshift would
// redirect to, and refuses a window outside the archive.
func TestGuideCatchupWithinDVRDepth(t *testing.T) {
	t.Parallel()
	now := guideClock()
	e := startWith(t, startOptions{guide: guideFixture(now), now: func() time.Time { return now }})
	c := aliceClient(t, e)

	_, body := get(t, c, e.url+"/guide")
	one := guideLinks(t, body, "ch1")
	noon := now.Truncate(time.Hour)
	past, current, future := noon.Add(-2*time.Hour).Unix(), noon.Unix(), noon.Add(2*time.Hour).Unix()
	wantCatchup := fmt.Sprintf("/player/1?start=%d&dur=1800", past)
	if one[past] != wantCatchup {
		t.Errorf("ch1 programme 2 h ago links %q, want %q", one[past], wantCatchup)
	}
	if one[current] != "/player/1" {
		t.Errorf("ch1 programme on now links %q, want the live player", one[current])
	}
	if l, ok := one[future]; !ok || l != "" {
		t.Errorf("ch1 programme in 2 h: link %q (shown %v), want a block without a link", l, ok)
	}
	if len(one) != 48 {
		t.Errorf("ch1 has %d blocks today, want 48", len(one))
	}
	if l := guideLinks(t, body, "ch2")[past]; l != "" {
		t.Errorf("ch2 (no DVR) past programme links %q, want none", l)
	}
	if !strings.Contains(body, `class="g-now c147 w1"`) {
		t.Error("no current-time marker at slot 145 (12:10)")
	}

	old := now.Truncate(24*time.Hour).AddDate(0, 0, -4).Add(12 * time.Hour)
	_, body = get(t, c, e.url+"/guide?day="+old.Format(time.DateOnly))
	if l := guideLinks(t, body, "ch1")[old.Unix()]; l != "" {
		t.Errorf("programme 4 days ago on a 3-day DVR links %q, want none", l)
	}
	if strings.Contains(body, `class="g-now `) {
		t.Error("a past day shows the current-time marker")
	}

	res, body := get(t, c, e.url+wantCatchup)
	wantSrc := fmt.Sprintf("/ch1/archive-%d-1800.m3u8?token=tok-alice", past)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, wantSrc) || !strings.Contains(body, "Show 20 of one.example") {
		t.Errorf("catch-up player: status %d, want the archive %s and the programme title:\n%s", res.StatusCode, wantSrc, body)
	}
	if strings.Contains(body, "data-record") {
		t.Error("catch-up player reports the channel as recently watched live")
	}
	for name, u := range map[string]string{
		"beyond the DVR depth": fmt.Sprintf("/player/1?start=%d&dur=3600", old.Unix()),
		"not over yet":         fmt.Sprintf("/player/1?start=%d&dur=1800", current),
		"channel without DVR":  fmt.Sprintf("/player/2?start=%d&dur=1800", past),
		"a negative window":    fmt.Sprintf("/player/1?start=%d&dur=-5", past),
	} {
		if res, body := get(t, c, e.url+u); res.StatusCode != http.StatusNotFound || strings.Contains(body, "archive-") {
			t.Errorf("%s: status %d, want 404 without an archive URL", name, res.StatusCode)
		}
	}
	res, body = get(t, c, e.url+"/player/999")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, `href="/channels"`) {
		t.Errorf("unknown channel: status %d, want 404 linking the channel list", res.StatusCode)
	}
}

// TestLargeLineupsArePaged: 1,500 channels with a full day's guide make
// grid pages of 120 cards and guide pages of 25 rows, each small, not one
// page of megabytes; a search keeps its words across pages.
func TestLargeLineupsArePaged(t *testing.T) {
	t.Parallel()
	now := guideClock()
	g := guideFixture(now)
	day := now.Truncate(24 * time.Hour)
	for i := 1; i <= 1500; i++ {
		id := playlist.TVGID(playlist.Channel{ID: int64(1000 + i)})
		for h := range 24 {
			start := day.Add(time.Duration(h) * time.Hour)
			g = append(g, playlist.Programme{Channel: id, Start: start, Stop: start.Add(time.Hour), Title: "Hourly news"})
		}
	}
	e := startWith(t, startOptions{guide: g, now: func() time.Time { return now },
		sql: []string{`INSERT INTO channels (id, name, title, number, free, enabled)
			SELECT 1000 + i, 'bulk' || i, 'Bulk channel ' || i, 1000 + i, true, true FROM generate_series(1, 1500) i`}})
	c := aliceClient(t, e)

	_, grid := get(t, c, e.url+"/channels?page=2")
	cards := strings.Count(grid, `<li data-channel=`)
	t.Logf("channel grid page 2 of 1,503 channels: %d cards, %d bytes", cards, len(grid))
	if cards != 120 || !strings.Contains(grid, "Page 2 of 13") || !strings.Contains(grid, `href="/channels?page=3"`) ||
		!strings.Contains(grid, `href="/channels"`) {
		t.Errorf("grid page 2: %d cards, want 120 with a pager (Page 2 of 13, links to 1 and 3)", cards)
	}
	// "bulk channel 1" matches 1, 10–19, 100–199 and 1000–1500: six pages.
	_, grid = get(t, c, e.url+"/channels?q=bulk+channel+1&page=2")
	if grid = html.UnescapeString(grid); !strings.Contains(grid, `href="/channels?q=bulk+channel+1"`) ||
		!strings.Contains(grid, `href="/channels?page=3&q=bulk+channel+1"`) {
		t.Errorf("a search's pager loses the search:\n%s", grid)
	}
	_, body := get(t, c, e.url+"/guide?page=3")
	rows := strings.Count(body, `class="g-row" data-channel=`)
	t.Logf("guide page 3 of 1,503 channels: %d rows, %d bytes", rows, len(body))
	if rows != 25 {
		t.Errorf("rows on a page: %d, want 25", rows)
	}
	if !strings.Contains(body, "Page 3 of 61") || !strings.Contains(body, `id="next-page"`) || !strings.Contains(body, `id="prev-page"`) {
		t.Error("guide page 3 lacks its pager (Page 3 of 61, previous and next)")
	}
	if len(body) > 200_000 {
		t.Errorf("guide page is %d bytes, want under 200 kB", len(body))
	}
}
