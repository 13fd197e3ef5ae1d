package stalker_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"
)

// seedGuide gives ch01 hour-long programmes from two days ago to a day
// ahead, and returns the hour the current one started.
func (p *portal) seedGuide(t *testing.T, chID int64) time.Time {
	t.Helper()
	ctx := t.Context()
	src, err := p.srv.Store.CreateEPGSource(ctx, api.SystemActor("test"), api.EPGSource{Name: "guide",
		URL: "http://guide.example.net/xmltv.xml", Enabled: true, IntervalHours: 24, DaysKeep: 3})
	if err != nil {
		t.Fatal(err)
	}
	epgID := fmt.Sprintf("ch%d", chID) // the id of a channel with no EPG id of its own
	now := time.Now().UTC().Truncate(time.Hour)
	items := []store.GuideItem{{Channel: &api.EPGChannel{EPGID: epgID, DisplayNames: []string{"Channel 01"}}}}
	for h := -48; h < 24; h++ {
		start := now.Add(time.Duration(h) * time.Hour)
		items = append(items, store.GuideItem{Programme: &api.EPGProgramme{ChannelEPGID: epgID, Start: start,
			Stop: start.Add(time.Hour), Title: fmt.Sprintf("Show %d", h), Description: "plain text, not base64"}})
	}
	_, err = p.srv.Store.ReplaceGuide(ctx, src.ID, func(yield func(store.GuideItem) error) error {
		for _, it := range items {
			if err := yield(it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return now
}

// guidedBox boots alice's box and gives the first channel of her list a
// guide (seedGuide); it returns that channel's id and the hour the
// programme on now started.
func guidedBox(t *testing.T) (*portal, *box, int64, time.Time) {
	t.Helper()
	p := newPortal(t)
	p.device(t, "alice", aliceMAC, false)
	b := newBox(t, p.srv.URL, aliceMAC)
	b.boot()
	var first listPage
	b.js(&first, "itv", "get_ordered_list", "p", "1")
	ch := first.Data[0].ID
	return p, b, ch, p.seedGuide(t, ch)
}

type programme struct {
	ID          string `json:"id"`
	ChID        string `json:"ch_id"`
	Time        string `json:"time"`
	Name        string `json:"name"`
	Descr       string `json:"descr"`
	Start       int64  `json:"start_timestamp"`
	MarkArchive int    `json:"mark_archive"`
}

// TestEPGAndCatchup: now/next, the day table picking the current page, the
// week, and a catch-up link for an ended programme inside the DVR depth
// (and none outside it).
func TestEPGAndCatchup(t *testing.T) {
	p, b, chID, now := guidedBox(t)

	var short []programme
	b.js(&short, "itv", "get_short_epg", "ch_id", fmt.Sprint(chID), "size", "4")
	if len(short) != 4 || short[0].Start != now.Unix() || short[0].Name != "Show 0" || short[0].Descr != "plain text, not base64" {
		t.Fatalf("short EPG = %+v, want 4 programmes from the current one", short)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if want := now.In(berlin).Format("2006-01-02 15:04:05"); short[0].Time != want {
		t.Errorf("time %q, want %q in the box's zone", short[0].Time, want)
	}

	var table listPage
	var rows struct {
		listPage
		Data []programme `json:"data"`
	}
	b.js(&rows, "epg", "get_simple_data_table", "ch_id", fmt.Sprint(chID), "date", now.In(berlin).Format("2006-01-02"), "p", "0")
	table = rows.listPage
	if table.MaxPageItems != 10 || table.CurPage == 0 || table.SelectedItem == 0 {
		t.Fatalf("today's table: %+v, want the page of the current programme chosen", table)
	}
	if cur := rows.Data[table.SelectedItem-1]; cur.Start != now.Unix() {
		t.Fatalf("selected %+v, want the programme on now", cur)
	}
	var week []struct {
		Today int `json:"today"`
	}
	b.js(&week, "epg", "get_week")
	if len(week) != 11 || week[7].Today != 1 {
		t.Fatalf("week: %d days, today at %v", len(week), week)
	}

	// Catch-up: yesterday's programme is archived; the link is the archive
	// form through the balancer with a minted token, and the edge plays it.
	b.js(&rows, "epg", "get_simple_data_table", "ch_id", fmt.Sprint(chID),
		"date", now.Add(-24*time.Hour).In(berlin).Format("2006-01-02"), "p", "1")
	past := rows.Data[2]
	if past.MarkArchive != 1 {
		t.Fatalf("yesterday's programme %+v is not marked as archived", past)
	}
	var l struct {
		Cmd   string `json:"cmd"`
		Error string `json:"error"`
	}
	b.js(&l, "tv_archive", "create_link", "cmd", "auto /media/"+past.ID+".mpg")
	want := fmt.Sprintf("%s/ch01/archive-%d-3600.ts?token=m1.", p.srv.URL, past.Start)
	if l.Error != "" || !strings.HasPrefix(strings.TrimPrefix(l.Cmd, "ffmpeg "), want) {
		t.Fatalf("archive link = %+v, want %s…", l, want)
	}
	// Outside the 3-day depth, or not yet ended: nothing to play.
	for _, id := range []string{fmt.Sprintf("%d_%d", now.Add(-96*time.Hour).Unix(), chID), fmt.Sprintf("%d_%d", now.Add(time.Hour).Unix(), chID), "junk"} {
		b.js(&l, "tv_archive", "create_link", "cmd", "auto /media/"+id+".mpg")
		if l.Error != "nothing_to_play" || l.Cmd != "" {
			t.Fatalf("archive link for %s = %+v, want nothing_to_play", id, l)
		}
	}
}

// TestDoAuth signs a box in by login and password (a login-based portal):
// an unknown MAC is registered to that subscriber and boots; a wrong
// password or another subscriber's MAC is refused.
func TestDoAuth(t *testing.T) {
	p := newPortal(t)
	p.device(t, "bob", "00:1A:79:00:00:BB", false)
	b := newBox(t, p.srv.URL, "00:1A:79:00:00:CC")
	var ok bool
	b.js(&ok, "stb", "do_auth", "login", "alice", "password", "wrong")
	if ok {
		t.Fatal("do_auth with a wrong password succeeded")
	}
	b.js(&ok, "stb", "do_auth", "login", "alice", "password", password)
	if !ok {
		t.Fatal("do_auth with alice's password failed")
	}
	if pr := b.boot(); pr.Status != 0 {
		t.Fatalf("box after do_auth: %+v", pr)
	}
	devs, err := p.srv.Store.FindDevices(t.Context(), p.subs["alice"].ID)
	if err != nil || len(devs) != 1 || devs[0].MAC != "00:1A:79:00:00:CC" {
		t.Fatalf("alice's devices = %+v, %v", devs, err)
	}
	bobs := newBox(t, p.srv.URL, "00:1A:79:00:00:BB")
	bobs.js(&ok, "stb", "do_auth", "login", "alice", "password", password)
	if ok {
		t.Fatal("do_auth took bob's MAC for alice")
	}
}
