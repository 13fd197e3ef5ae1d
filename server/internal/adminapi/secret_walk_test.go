package adminapi_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// Planted secrets: values the seed writes and no operator body may carry.
const (
	plantedStreamerPassword = "planted-streamer-password-8c1"
	plantedStreamerKey      = "planted-streamer-key-0d2"
	plantedEPGPassword      = "planted-epg-password-3f4"
	plantedEPGToken         = "planted-epg-token-5a6"
	plantedSubscriberPass   = "planted-subscriber-password-7b8"
	plantedResellerPass     = "planted-reseller-password-9c0"
	// Channel and VOD sources carry credentials in user information, in
	// the query, and (Xtream style, /live/user/pass/1.ts) in the path.
	plantedSourceUserPass  = "planted-source-userinfo-1d7"
	plantedSourceQueryPass = "planted-source-query-2e8"
	plantedSourcePathPass  = "planted-source-path-3f9"
	plantedVODUserPass     = "planted-vod-userinfo-4a1"
	plantedVODQueryPass    = "planted-vod-query-5b2"
	plantedVODPathPass     = "planted-vod-path-6c3"
	plantedEpisodePathPass = "planted-episode-path-7d4"
	// A MAC signs a box in; its vendor prefix (00:1A:79) may show.
	plantedDeviceMAC    = "5E:C7:E1"
	plantedDeviceSerial = "planted-device-serial-8e5"
)

// secretSeed is every row a GET route can show, seeded through the API, and
// the secret values an operator must never read.
type secretSeed struct {
	ids     map[string]string // path segment before a parameter -> a seeded row's id or name
	secrets map[string]string // what -> value
	// adminSees are the secrets an admin legitimately reads somewhere, so
	// the walk proves the planted values do reach the API.
	adminSees []string
	// neverShown are secrets no answer carries after they were first given:
	// the admin's TOTP secret and recovery codes.
	neverShown []string
}

func seedSecrets(t *testing.T, srv *testserver.Server) secretSeed {
	t.Helper()
	ctx := context.Background()
	c := srv.Admin
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed %s: %v", what, err)
		}
	}
	st, err := c.CreateStreamer(ctx, api.StreamerCreate{Name: "edge-secret", APIURL: "http://streamer.example.invalid",
		Roles: []string{"ingest"}, StreamerCredentials: api.StreamerCredentials{APILogin: "flu", APIPassword: plantedStreamerPassword}})
	must("streamer", err)
	st2, err := c.CreateStreamer(ctx, api.StreamerCreate{Name: "edge-key", APIURL: "http://streamer2.example.invalid",
		Roles: []string{"edge"}, StreamerCredentials: api.StreamerCredentials{APIKey: plantedStreamerKey}})
	must("streamer with key", err)
	cat, err := c.CreateCategory(ctx, api.Category{Kind: "live", Name: "News"})
	must("category", err)
	pl, err := c.CreatePipeline(ctx, api.Pipeline{Name: "Main", Steps: []api.PipelineStep{{Role: "ingest", StreamerIDs: []int64{st.ID}}, {Role: "edge", StreamerIDs: []int64{st2.ID}}}})
	must("pipeline", err)
	ch, err := c.CreateChannel(ctx, api.ChannelCreate{Name: "news", Title: "News", CategoryID: &cat.ID, PipelineID: &pl.ID,
		Sources: []api.Source{{URL: "udp://239.0.0.1:1234"},
			{URL: "http://src:" + plantedSourceUserPass + "@upstream.example.invalid:8080/live.m3u8?token=" + plantedSourceQueryPass, Priority: 1},
			{URL: "http://upstream2.example.invalid/live/srcuser/" + plantedSourcePathPass + "/1.ts", Priority: 2}}})
	must("channel", err)
	pkg, err := c.CreatePackage(ctx, api.Package{Name: "Basic", ChannelIDs: []int64{ch.ID}})
	must("package", err)
	vod, err := c.CreateVOD(ctx, api.VODCreate{Title: "Film", SourceURL: "http://vod:" + plantedVODUserPass +
		"@vod.example.invalid/movie/vuser/" + plantedVODPathPass + "/film.mp4?key=" + plantedVODQueryPass})
	must("vod", err)
	series, err := c.CreateSeries(ctx, api.SeriesCreate{Title: "Show"})
	must("series", err)
	season, err := c.CreateSeason(ctx, api.Season{SeriesID: series.ID, SeasonNumber: 1})
	must("season", err)
	episode, err := c.CreateEpisode(ctx, api.EpisodeCreate{SeasonID: season.ID, EpisodeNum: 1,
		SourceURL: "http://vod.example.invalid/series/euser/" + plantedEpisodePathPass + "/1.mp4"})
	must("episode", err)
	epgURL := "http://epguser:" + plantedEPGPassword + "@epg.example.invalid/xmltv.php?username=u&password=" + plantedEPGToken
	src, err := c.CreateEPGSource(ctx, api.EPGSource{Name: "guide", URL: epgURL})
	must("epg source", err)
	rs, err := c.CreateReseller(ctx, api.Reseller{Login: "shop", Password: plantedResellerPass, Name: "Shop"})
	must("reseller", err)
	sub, err := c.CreateSubscriber(ctx, api.Subscriber{Login: "viewer", Password: plantedSubscriberPass, Status: "active",
		PackageIDs: []int64{pkg.ID}})
	must("subscriber", err)
	dev, err := c.CreateDevice(ctx, api.Device{SubscriberID: sub.ID, MAC: "00:1A:79:" + plantedDeviceMAC, Serial: plantedDeviceSerial})
	must("device", err)
	settings, err := c.Settings(ctx)
	must("settings", err)
	settings, err = c.UpdateSettings(ctx, api.SettingsUpdate{ExternalURL: ptr("https://iptv.example.com"), Version: settings.Version})
	must("external url", err)
	if settings.StreamerSecret == "" || sub.Token == "" {
		t.Fatalf("seed: streamer secret %q, subscriber token %q; want both set", settings.StreamerSecret, sub.Token)
	}
	me, err := c.Me(ctx)
	must("me", err)
	totpSecret, recovery := enrol(t, c)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	seed := secretSeed{
		ids: map[string]string{
			"streamers": id(st.ID), "categories": id(cat.ID), "pipelines": id(pl.ID), "channels": id(ch.ID),
			"packages": id(pkg.ID), "vod": id(vod.ID), "epg-sources": id(src.ID), "resellers": id(rs.ID),
			"subscribers": id(sub.ID), "admins": id(me.Admin.ID), "sessions": "1",
			"fleet/streamers": id(st.ID), "fleet/channels": ch.Name, "devices": id(dev.ID),
			"sub-resellers": id(rs.ID),
			"series":        id(series.ID), "seasons": id(season.ID), "episodes": id(episode.ID),
		},
		secrets: map[string]string{
			"streamer secret":       settings.StreamerSecret,
			"streamer api password": plantedStreamerPassword,
			"streamer api key":      plantedStreamerKey,
			"epg url password":      plantedEPGPassword,
			"epg url token":         plantedEPGToken,
			"subscriber token":      sub.Token,
			"tuner token":           sub.TunerToken,
			"subscriber password":   plantedSubscriberPass,
			"reseller password":     plantedResellerPass,
			"source url userinfo":   plantedSourceUserPass,
			"source url query":      plantedSourceQueryPass,
			"source url path":       plantedSourcePathPass,
			"vod url userinfo":      plantedVODUserPass,
			"vod url query":         plantedVODQueryPass,
			"vod url path":          plantedVODPathPass,
			"episode url path":      plantedEpisodePathPass,
			"password hash":         "$argon2id$",
			"private key":           "PRIVATE KEY",
			"device mac":            plantedDeviceMAC,
			"device serial":         plantedDeviceSerial,
		},
		neverShown: append([]string{totpSecret}, recovery...),
		adminSees: []string{settings.StreamerSecret, settings.AuthURL, settings.ConfigExternalURL, sub.Token, sub.TunerToken, plantedEPGPassword, plantedEPGToken,
			plantedSourceUserPass, plantedSourceQueryPass, plantedSourcePathPass, plantedVODUserPass, plantedVODQueryPass, plantedVODPathPass,
			plantedEpisodePathPass, plantedDeviceMAC, plantedDeviceSerial},
	}
	for i, secret := range seed.neverShown {
		seed.secrets["second factor "+strconv.Itoa(i)] = secret
	}
	return seed
}

// fillPath puts seeded ids into a route's parameters; a parameter after a
// segment the seed does not know fails the test, so a new route cannot slip
// past the walk unexamined.
func (s secretSeed) fillPath(t *testing.T, route string) string {
	t.Helper()
	parts := strings.Split(route, "/")
	for i, p := range parts {
		if !strings.HasPrefix(p, ":") && !strings.HasPrefix(p, "*") {
			continue
		}
		key := parts[i-1]
		if i >= 2 && s.ids[parts[i-2]+"/"+key] != "" {
			key = parts[i-2] + "/" + key
		}
		v, ok := s.ids[key]
		if !ok {
			t.Fatalf("route %s: no seeded row for parameter %s after %q; seed one in seedSecrets", route, p, key)
		}
		parts[i] = v
	}
	return strings.Join(parts, "/")
}

func getBody(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// resellerOnly are GET routes that answer only a reseller.
var resellerOnly = map[string]bool{"/api/v1/me/credit-log": true,
	"/api/v1/me/rules": true, "/api/v1/me/activity": true, "/api/v1/me/sub-resellers": true,
	"/api/v1/me/sub-resellers/:id": true, "/api/v1/me/sub-resellers/:id/subscribers": true}

// TestOperatorReadsNoSecret walks every GET route of the admin API as an
// operator and as an admin: the operator's bodies carry none of the planted
// secrets, while the admin's show that the secrets are there to leak.
func TestOperatorReadsNoSecret(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	seed := seedSecrets(t, srv)
	testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "operator-password")
	op := srv.SignIn(t, "noc", "operator-password")
	adminBodies, walked := "", 0
	for _, r := range srv.App.Engine().Routes() {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		walked++
		url := srv.URL + seed.fillPath(t, r.Path)
		code, body := getBody(t, url, op.Token())
		if (code == http.StatusNotFound || code == http.StatusForbidden) && !resellerOnly[r.Path] {
			t.Errorf("operator GET %s: got %d; the walk must read a seeded row", r.Path, code)
		}
		for what, secret := range seed.secrets {
			if strings.Contains(body, secret) {
				t.Errorf("operator GET %s shows the %s: %s", r.Path, what, body)
			}
		}
		_, adminBody := getBody(t, url, srv.Admin.Token())
		adminBodies += adminBody
	}
	for _, secret := range seed.neverShown {
		if strings.Contains(adminBodies, secret) {
			t.Errorf("an admin body shows %q, a second-factor secret given only at enrolment", secret)
		}
	}
	for _, secret := range seed.adminSees {
		if !strings.Contains(adminBodies, secret) {
			t.Errorf("no admin body shows %q; the walk would not notice it leaking", secret)
		}
	}
	t.Logf("walked %d GET routes", walked)
}
