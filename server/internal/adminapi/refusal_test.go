package adminapi_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestRefusalRoutes has a player with a bad token try a registered
// simulated streamer, and reads the refusal back through the typed client:
// the streamer by name, the address, the reason in code and words, and the
// filters.
func TestRefusalRoutes(t *testing.T) {
	srv, ctx := startPlayServer(t)
	e1 := sessionSim(t, "127.0.0.2", srv.App.PlayAuth().AuthURL())
	seed := store.Seed{
		Streamers:   []store.SeedStreamer{{Name: "e1", APIURL: e1.URL()}},
		Channels:    []store.SeedChannel{{Name: "ch1", Title: "One"}},
		Packages:    []store.SeedPackage{{Name: "basic", Channels: []string{"ch1"}}},
		Subscribers: []store.SeedSubscriber{{Login: "carol", PasswordHash: "x", Token: "tok-carol", Packages: []string{"basic"}}},
	}
	seedAndLoad(t, srv, seed)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.9")}, Timeout: 5 * time.Second}
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
	resp, err := c.Get(e1.URL() + "/ch1/index.m3u8?token=tok-wrong")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Fatal("a bad token played")
	}
	srv.App.PlayAuth().FlushRefusals(ctx)

	page, err := srv.Admin.PlayRefusals(ctx, api.PlayRefusalFilter{Reason: "unknown_token"}, api.ListParams{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("got %d refusals %+v, want 1", len(page.Items), page.Items)
	}
	r := page.Items[0]
	if r.Name != "ch1" || r.IP != "127.0.0.9" || r.StreamerName != "e1" || r.SubscriberID != nil ||
		r.ReasonTitle != "unknown or missing token" {
		t.Errorf("refusal %+v; want ch1 from 127.0.0.9 on e1, no subscriber, reason in words", r)
	}
	for _, f := range []api.PlayRefusalFilter{{SubscriberLogin: "carol"}, {Reason: "expired"},
		{Since: time.Now().Add(time.Minute)}} {
		if page, err := srv.Admin.PlayRefusals(ctx, f, api.ListParams{Limit: 50}); err != nil || len(page.Items) != 0 {
			t.Errorf("filter %+v: %d refusals (%v), want none", f, len(page.Items), err)
		}
	}
	_, err = srv.Admin.PlayRefusals(ctx, api.PlayRefusalFilter{}, api.ListParams{Cursor: "not-a-cursor"})
	if api.ErrorCode(err) != api.CodeInvalid {
		t.Errorf("bad cursor: %v, want invalid", err)
	}
}

// startPlayServer starts a server whose external URL is its own, so its
// streamer auth URL is known.
func startPlayServer(t *testing.T) (*testserver.Server, context.Context) {
	t.Helper()
	srv := testserver.Start(t)
	seedAndLoad(t, srv, store.Seed{ExternalURL: srv.URL})
	return srv, context.Background()
}

// seedAndLoad writes seed and makes the catalog read it at once.
func seedAndLoad(t *testing.T, srv *testserver.Server, seed store.Seed) {
	t.Helper()
	ctx := context.Background()
	if err := srv.Store.Seed(ctx, seed); err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Catalog().Load(ctx); err != nil {
		t.Fatal(err)
	}
}
