package app_test

import (
	"net/http"
	"testing"

	"canale/server/internal/hdhomerun"
	"canale/server/internal/store"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestPackageTuner: a subscriber's tuner scoped to one of their packages
// lists that package's channels alone, is a different device to media
// servers, and plays only them; a package they do not hold is a bare 404,
// like an unknown tuner.
func TestPackageTuner(t *testing.T) {
	srv := testserver.Start(t)
	ctx := t.Context()
	src := []store.FleetSource{{URL: "udp://239.0.0.1:1234"}}
	applySeed(t, srv, store.Seed{ExternalURL: srv.URL,
		Pipelines: []store.SeedPipeline{{Name: "p", Steps: []store.SeedStep{{Role: "edge", Placement: "all"}}}},
		Channels: []store.SeedChannel{{Name: "news", Title: "News", Pipeline: "p", Number: 1, Sources: src},
			{Name: "sport1", Title: "Sport One", Pipeline: "p", Number: 20, Sources: src},
			{Name: "sport2", Title: "Sport Two", Pipeline: "p", Number: 21, Sources: src},
			{Name: "movies", Title: "Movies", Pipeline: "p", Number: 30, Sources: src}},
		Packages: []store.SeedPackage{{Name: "Basic", Channels: []string{"news"}},
			{Name: "Sports", Channels: []string{"sport1", "sport2"}}, {Name: "Cinema", Channels: []string{"movies"}}},
		Subscribers: []store.SeedSubscriber{{Login: "alice", Token: "tok-alice", Packages: []string{"Basic", "Sports"}}},
	})
	cs, ok := srv.App.Catalog().SubscriberByLogin("alice")
	if !ok {
		t.Fatal("alice is not in the read model")
	}
	alice, err := srv.Admin.Subscriber(ctx, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	pkgs := map[string]int64{}
	for _, p := range srv.App.Catalog().Packages() {
		pkgs[p.Name] = p.ID
	}
	sports := hdhomerun.PackageURL(srv.URL, alice.TunerToken, pkgs["Sports"])

	var whole, scoped []hdhomerun.LineupEntry
	getJSON(t, alice.TunerURL+"/lineup.json", &whole)
	getJSON(t, sports+"/lineup.json", &scoped)
	if len(whole) != 3 {
		t.Errorf("whole tuner lists %+v, want news, sport1, sport2", whole)
	}
	if len(scoped) != 2 || scoped[0].GuideName != "Sport One" || scoped[1].GuideName != "Sport Two" ||
		scoped[0].GuideNumber != "20" || scoped[0].URL != sports+"/auto/v20" {
		t.Errorf("Sports tuner lists %+v, want Sport One (20) and Sport Two (21) under %s", scoped, sports)
	}

	var wd, sd hdhomerun.Discover
	getJSON(t, alice.TunerURL+"/discover.json", &wd)
	getJSON(t, sports+"/discover.json", &sd)
	if sd.DeviceID == wd.DeviceID || sd.BaseURL != sports || sd.LineupURL != sports+"/lineup.json" {
		t.Errorf("Sports tuner discover %+v; whole tuner's DeviceID %s", sd, wd.DeviceID)
	}

	for _, u := range []string{
		hdhomerun.PackageURL(srv.URL, alice.TunerToken, pkgs["Cinema"]) + "/lineup.json", // not hers
		hdhomerun.PackageURL(srv.URL, alice.TunerToken, 999999) + "/discover.json",       // no such package
		sports + "/auto/v1", // news is hers, but not on this tuner
	} {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", u, res.StatusCode)
		}
	}

	// Dropping the package from her subscription closes its tuner at once.
	if _, err := srv.Admin.UpdateSubscriber(ctx, alice.ID, api.SubscriberUpdate{PackageIDs: &[]int64{pkgs["Basic"]},
		Version: alice.Version}); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(sports + "/lineup.json")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("Sports tuner after the package was dropped: %d, want 404", res.StatusCode)
	}
}
