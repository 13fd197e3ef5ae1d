package stalker_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/playauth"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const (
	password = "mag-viewer-password"
	aliceMAC = "00:1A:79:12:34:56"
	channels = 30 // 14 + 14 + 2 on the pages of get_ordered_list
)

// portal is a test installation: a server, its streamer secret, a streamer
// simulator as the edge (asking Canale's auth on every play), 30 channels
// in two genres and subscribers.
type portal struct {
	srv    *testserver.Server
	secret string
	sim    *simulator.Simulator
	subs   map[string]api.Subscriber
}

func newPortal(t *testing.T, args ...string) *portal {
	t.Helper()
	srv := testserver.StartWith(t, args...)
	ctx := t.Context()
	settings, err := srv.Store.FindSettings(ctx, api.SystemActor("test")) // generates the streamer secret
	if err != nil {
		t.Fatal(err)
	}
	p := &portal{srv: srv, secret: settings.StreamerSecret, subs: map[string]api.Subscriber{}}
	var streams []simulator.Stream
	var chans []store.SeedChannel
	var names []string
	for i := 1; i <= channels; i++ {
		name := fmt.Sprintf("ch%02d", i)
		genre := "News"
		if i%2 == 0 {
			genre = "Sport"
		}
		chans = append(chans, store.SeedChannel{Name: name, Title: fmt.Sprintf("Channel %02d", i), Category: genre,
			Pipeline: "p", Number: i, DVRDays: 3, Sources: []store.FleetSource{{URL: "udp://239.0.0.1:1234"}}})
		streams = append(streams, simulator.Stream{Name: name, Alive: true, InputKbps: 3000, OutputKbps: 3000})
		names = append(names, name)
	}
	p.sim = simulator.New(simulator.Options{Hostname: "e1.test", Streams: streams,
		AuthURL: srv.URL + playauth.AuthPath(p.secret), VODLocations: []string{"vod"}})
	if err := p.sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.sim.Close() })
	hash, err := credential.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	var subs []store.SeedSubscriber
	for _, login := range []string{"alice", "bob", "expired", "disabled", "banned"} {
		subs = append(subs, store.SeedSubscriber{Login: login, PasswordHash: hash, Token: "tok-" + login, Packages: []string{"Basic"}})
	}
	err = srv.Store.Seed(ctx, store.Seed{ExternalURL: srv.URL,
		Streamers:  []store.SeedStreamer{{Name: "e1", APIURL: p.sim.URL(), PublicURL: p.sim.URL()}},
		Pipelines:  []store.SeedPipeline{{Name: "p", Steps: []store.SeedStep{{Role: "edge", Placement: "all", Streamers: []string{"e1"}}}}},
		Categories: []string{"News", "Sport"}, Channels: chans,
		Packages:    []store.SeedPackage{{Name: "Basic", Channels: names}},
		Subscribers: subs})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		c, err := srv.Store.FindSubscriberByLogin(ctx, s.Login)
		if err != nil {
			t.Fatal(err)
		}
		p.subs[s.Login] = c.Subscriber
	}
	past := time.Now().Add(-time.Hour)
	p.update(t, "expired", api.SubscriberUpdate{ExpiresAt: &past})
	p.update(t, "disabled", api.SubscriberUpdate{Status: ptr("disabled")})
	p.update(t, "banned", api.SubscriberUpdate{Status: ptr("banned")})
	p.reload(t)
	return p
}

func ptr[T any](v T) *T { return &v }

// update changes a subscriber through the store.
func (p *portal) update(t *testing.T, login string, u api.SubscriberUpdate) {
	t.Helper()
	s := p.subs[login]
	u.Version = s.Version
	s, err := p.srv.Store.UpdateSubscriber(t.Context(), api.SystemActor("test"), s.ID, u)
	if err != nil {
		t.Fatal(err)
	}
	p.subs[login] = s
}

// reload brings the read model and the fleet up to the database.
func (p *portal) reload(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	if err := p.srv.App.Catalog().Load(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.srv.App.Fleet().Reload(ctx); err != nil {
		t.Fatal(err)
	}
	p.srv.App.Fleet().PollNow(ctx)
}

// device gives a subscriber a device.
func (p *portal) device(t *testing.T, login, mac string, locked bool) api.Device {
	t.Helper()
	d, err := p.srv.Store.CreateDevice(t.Context(), api.SystemActor("test"),
		api.Device{SubscriberID: p.subs[login].ID, MAC: mac, Locked: locked})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// box is a MAG box (or an app imitating one) talking to the portal the way
// spec §0.1 lists: the mac, stb_lang and timezone cookies, a MAG
// User-Agent and, after the handshake, a Bearer token.
type box struct {
	t       *testing.T
	base    string // the loader URL
	mac     string
	sn      string
	token   string
	forward string // X-Forwarded-For, for servers that trust the test client as a proxy
}

func newBox(t *testing.T, base, mac string) *box {
	return &box{t: t, base: base + "/stalker_portal/server/load.php", mac: mac, sn: "062014N000001"}
}

// call sends type/action with params and returns the body.
func (b *box) call(typ, action string, params ...string) string {
	b.t.Helper()
	q := url.Values{"type": {typ}, "action": {action}, "JsHttpRequest": {"1-xml"}}
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	req, err := http.NewRequest(http.MethodGet, b.base+"?"+q.Encode(), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Cookie", "mac="+url.QueryEscape(b.mac)+"; stb_lang=en; timezone=Europe%2FBerlin")
	req.Header.Set("User-Agent", "Mozilla/5.0 (QtEmbedded; U; Linux; C) AppleWebKit/533.3 (KHTML, like Gecko) MAG200 stbapp ver: 2 rev: 250 Safari/533.3")
	req.Header.Set("X-User-Agent", "Model: MAG250; Link: WiFi")
	if b.token != "" {
		req.Header.Set("Authorization", "Bearer "+b.token)
	}
	if b.forward != "" {
		req.Header.Set("X-Forwarded-For", b.forward)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("%s/%s: HTTP %d %s", typ, action, res.StatusCode, body)
	}
	return string(body)
}

// js calls and decodes the js member into out.
func (b *box) js(out any, typ, action string, params ...string) {
	b.t.Helper()
	body := b.call(typ, action, params...)
	var env struct {
		JS json.RawMessage `json:"js"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil || env.JS == nil {
		b.t.Fatalf("%s/%s: not a js envelope: %q", typ, action, body)
	}
	if err := json.Unmarshal(env.JS, out); err != nil {
		b.t.Fatalf("%s/%s: %v in %s", typ, action, err, env.JS)
	}
}

type profile struct {
	ID              int64  `json:"id"`
	Status          int    `json:"status"`
	BlockMsg        string `json:"block_msg"`
	WatchdogTimeout int    `json:"watchdog_timeout"`
}

// boot runs the handshake and the profile, and returns the profile.
func (b *box) boot() profile {
	b.t.Helper()
	var hs struct {
		Token string `json:"token"`
	}
	b.js(&hs, "stb", "handshake", "token", "", "prehash", "0")
	if !regexp.MustCompile(`^[0-9A-F]{32}$`).MatchString(hs.Token) {
		b.t.Fatalf("handshake token %q, want 32 upper-case hex", hs.Token)
	}
	b.token = hs.Token
	var p profile
	b.js(&p, "stb", "get_profile", "hd", "1", "sn", b.sn, "stb_type", "MAG250",
		"device_id", strings.Repeat("A1", 32), "device_id2", strings.Repeat("B2", 32), "hw_version", "1.7-BD-00",
		"ver", "ImageDescription: 0.2.18-r14-pub-250; PORTAL version: 5.1.0", "auth_second_step", "1")
	return p
}

type listPage struct {
	TotalItems   int `json:"total_items"`
	MaxPageItems int `json:"max_page_items"`
	SelectedItem int `json:"selected_item"`
	CurPage      int `json:"cur_page"`
	Data         []struct {
		ID              int64  `json:"id"`
		Name            string `json:"name"`
		Number          string `json:"number"`
		Cmd             string `json:"cmd"`
		UseHTTPTmpLink  string `json:"use_http_tmp_link"`
		TVGenreID       string `json:"tv_genre_id"`
		Fav             int    `json:"fav"`
		Archive         int    `json:"archive"`
		ArchiveDuration int    `json:"tv_archive_duration"`
		Cmds            []struct {
			URL string `json:"url"`
		} `json:"cmds"`
	} `json:"data"`
}

type link struct {
	ID    int64  `json:"id"`
	Cmd   string `json:"cmd"`
	Error string `json:"error"`
}

// url is the stream URL of a create_link answer: the last word of cmd, as
// STB-Proxy, MacReplay and stalkerhek take it (§5.2).
func (l link) url() string {
	f := strings.Fields(l.Cmd)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// TestMAGBootSequence walks spec §0.1 as a box does, on every loader path,
// then pages the channel list, keeps favourites, and plays a channel:
// create_link → the balancer's 302 → the edge, whose auth call the normal
// play authorization allows.
func TestMAGBootSequence(t *testing.T) {
	p := newPortal(t)
	dev := p.device(t, "alice", "00-1a-79-12-34-56", false) // stored normalized

	res, err := http.Get(p.srv.URL + "/c/xpcom.common.js")
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(js), "this.ajax_loader = this.portal_protocol + '://' + this.portal_ip + '/' + this.portal_path + '/portal.php';") ||
		!strings.Contains(string(js), "var pattern = /") {
		t.Fatalf("xpcom.common.js has no ajax_loader for scrapers:\n%s", js)
	}
	for _, path := range []string{"/portal.php", "/c/portal.php", "/server/load.php", "/stalker_portal/c/portal.php"} {
		b := &box{t: t, base: p.srv.URL + path, mac: aliceMAC, sn: "062014N000001"}
		if pr := b.boot(); pr.Status != 0 || pr.ID != dev.ID {
			t.Fatalf("profile on %s = %+v, want status 0 for device %d", path, pr, dev.ID)
		}
	}

	b := newBox(t, p.srv.URL, aliceMAC)
	pr := b.boot()
	if pr.Status != 0 || pr.WatchdogTimeout != 120 {
		t.Fatalf("profile = %+v", pr)
	}
	got, err := p.srv.Store.FindDeviceByID(t.Context(), dev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Serial != b.sn || got.Model != "MAG250" || got.DeviceID != strings.Repeat("A1", 32) || got.LastSeenAt == nil ||
		!strings.Contains(got.Firmware, "0.2.18") {
		t.Fatalf("device after boot = %+v, want serial, model, ids, firmware and last seen captured", got)
	}

	var loc map[string]string
	b.js(&loc, "stb", "get_localization")
	var mods struct {
		All []string `json:"all_modules"`
	}
	b.js(&mods, "stb", "get_modules")
	if !strings.Contains(strings.Join(mods.All, ","), "tv_archive") {
		t.Errorf("modules %v lack tv_archive", mods.All)
	}
	var info struct {
		MAC   string `json:"mac"`
		Phone string `json:"phone"`
	}
	b.js(&info, "account_info", "get_main_info")
	if info.MAC != aliceMAC || info.Phone != "Unlimited" {
		t.Errorf("main info = %+v", info)
	}
	var genres []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	b.js(&genres, "itv", "get_genres")
	if len(genres) != 3 || genres[0].ID != "*" || genres[1].Title != "News" || genres[2].Title != "Sport" {
		t.Fatalf("genres = %+v", genres)
	}

	// Paging: 30 channels are pages of 14, 14 and 2.
	seen := map[int64]bool{}
	for page, want := range map[int]int{1: 14, 2: 14, 3: 2, 4: 0} {
		var l listPage
		b.js(&l, "itv", "get_ordered_list", "genre", "*", "p", fmt.Sprint(page))
		if l.TotalItems != channels || l.MaxPageItems != 14 || len(l.Data) != want {
			t.Fatalf("page %d: total %d, page size %d, %d items; want %d, 14, %d", page, l.TotalItems, l.MaxPageItems, len(l.Data), channels, want)
		}
		for _, ch := range l.Data {
			seen[ch.ID] = true
			if ch.UseHTTPTmpLink != "1" || !strings.HasPrefix(ch.Cmd, "ffmpeg http://localhost/ch/") || len(ch.Cmds) != 1 ||
				ch.Archive != 1 || ch.ArchiveDuration != 72 || strings.Contains(ch.Cmd, "tok-") {
				t.Fatalf("channel item %+v: want a placeholder cmd, cmds[0], 72 h of archive and no token", ch)
			}
		}
	}
	if len(seen) != channels {
		t.Fatalf("pages held %d distinct channels, want %d", len(seen), channels)
	}
	var sport listPage
	b.js(&sport, "itv", "get_ordered_list", "genre", genres[2].ID, "p", "1")
	if sport.TotalItems != channels/2 {
		t.Fatalf("genre filter: %d channels, want %d", sport.TotalItems, channels/2)
	}
	for _, ch := range sport.Data {
		if ch.TVGenreID != genres[2].ID {
			t.Fatalf("genre filter let %+v through", ch)
		}
	}

	// Favourites and the last channel: p=0 opens on the page of the last one.
	var first listPage
	b.js(&first, "itv", "get_ordered_list", "p", "1")
	fav1, fav2 := first.Data[3].ID, first.Data[1].ID
	var ok bool
	b.js(&ok, "itv", "set_fav", "fav_ch", fmt.Sprintf("%d,%d,999999", fav1, fav2))
	var ids []int64
	b.js(&ids, "itv", "get_fav_ids")
	if len(ids) != 2 || ids[0] != fav1 || ids[1] != fav2 {
		t.Fatalf("fav ids = %v, want [%d %d] (a channel outside the packages dropped)", ids, fav1, fav2)
	}
	var favs listPage
	b.js(&favs, "itv", "get_ordered_list", "fav", "1", "p", "1")
	if favs.TotalItems != 2 || favs.Data[0].Fav != 1 {
		t.Fatalf("favourites list = %+v", favs)
	}
	var last listPage
	b.js(&last, "itv", "get_ordered_list", "p", "3")
	b.js(&ok, "itv", "set_last_id", "id", fmt.Sprint(last.Data[1].ID))
	var opened listPage
	b.js(&opened, "itv", "get_ordered_list", "p", "0")
	if opened.CurPage != 3 || opened.SelectedItem != 2 {
		t.Fatalf("p=0 opened page %d item %d, want page 3 item 2", opened.CurPage, opened.SelectedItem)
	}

	// Play: create_link, the balancer, the edge and its auth call.
	var l link
	b.js(&l, "itv", "create_link", "cmd", first.Data[0].Cmd, "series", "", "forced_storage", "", "disable_ad", "0", "download", "0")
	if l.Error != "" || l.ID != first.Data[0].ID || !strings.HasPrefix(l.url(), p.srv.URL+"/ch01/mpegts?token=m1.") {
		t.Fatalf("create_link = %+v, want an MPEG-TS URL on the balancer with a minted token", l)
	}
	res, err = noRedirect.Get(l.url())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	edgeURL := res.Header.Get("Location")
	if res.StatusCode != http.StatusFound || !strings.HasPrefix(edgeURL, p.sim.URL()+"/ch01/mpegts?token=m1.") {
		t.Fatalf("balancer: %d to %q, want 302 to the edge", res.StatusCode, edgeURL)
	}
	if status := play(t, edgeURL); status != http.StatusOK {
		t.Fatalf("edge answered %d to the minted link, want 200 (play authorization allow)", status)
	}
	// A channel outside the packages gets access_denied.
	b.js(&l, "itv", "create_link", "cmd", "ffmpeg http://localhost/ch/999999_")
	if l.Error != "access_denied" || l.Cmd != "" {
		t.Fatalf("create_link of a channel not in the packages = %+v", l)
	}

	var events struct {
		Data struct {
			Msgs       *int `json:"msgs"`
			Additional *int `json:"additional_services_on"`
		} `json:"data"`
	}
	b.js(&events, "watchdog", "get_events", "init", "0", "cur_play_type", "1", "event_active_id", "0")
	if events.Data.Msgs == nil || *events.Data.Msgs != 0 || events.Data.Additional == nil || *events.Data.Additional != 1 {
		t.Errorf("get_events = %+v, want data.msgs 0 (no event queued) and additional_services_on 1 (spec §9)", events.Data)
	}
	var unknown []any
	b.js(&unknown, "karaoke", "get_categories")

	// Another box (or a copied token) without the session is told to sign in again.
	thief := newBox(t, p.srv.URL, aliceMAC)
	thief.token = strings.Repeat("0", 32)
	if body := thief.call("itv", "get_genres"); body != "Authorization failed." {
		t.Fatalf("call with a wrong token answered %q", body)
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// play fetches a stream URL from the edge and returns its status.
func play(t *testing.T, u string) int {
	t.Helper()
	res, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestPortalListsDevices: the subscriber sees their box, with its model and
// when it was last seen, on the customer portal's account page.
func TestPortalListsDevices(t *testing.T) {
	p := newPortal(t)
	p.device(t, "alice", aliceMAC, false)
	p.device(t, "bob", "00:1A:79:00:00:0B", false)
	newBox(t, p.srv.URL, aliceMAC).boot()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	page := func(u string) string {
		res, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	m := csrf.FindStringSubmatch(page(p.srv.URL + "/login"))
	if m == nil {
		t.Fatal("no csrf on the login page")
	}
	res, err := c.PostForm(p.srv.URL+"/login", url.Values{"csrf": {m[1]}, "login": {"alice"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	account := page(p.srv.URL + "/account")
	// Cells carry data-label attributes (the table stacks into cards on a phone).
	row := regexp.MustCompile(`<td[^>]*>` + regexp.QuoteMeta(aliceMAC) + `</td><td[^>]*>MAG250</td>`)
	if !row.MatchString(account) || strings.Contains(account, "00:1A:79:00:00:0B") {
		t.Fatalf("account page does not list alice's box alone:\n%s", account)
	}
}
