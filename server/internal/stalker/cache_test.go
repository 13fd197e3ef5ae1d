package stalker_test

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"canale/server/internal/catalog"
	"canale/server/internal/stalker"
	"canale/server/internal/store"
	"canale/server/internal/subscriberview"
	"canale/shared/api"
)

// tableDevices stands in for the devices table and counts its reads, so a
// test sees which calls reach the database.
type tableDevices struct {
	memDevices
	mu    sync.Mutex
	gone  bool
	reads int
}

func (d *tableDevices) FindPortalDevice(ctx context.Context, mac string) (store.PortalDevice, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reads++
	if d.gone {
		return store.PortalDevice{}, api.Errorf(api.CodeNotFound, "no such device")
	}
	return d.memDevices.FindPortalDevice(ctx, mac)
}

func (d *tableDevices) readCount() int { d.mu.Lock(); defer d.mu.Unlock(); return d.reads }

// TestDeviceCacheFollowsChangeEvents: channel-list calls of a booted box
// read the device once, not per call; a device removed takes effect on the
// next call once its change event arrives, a disabled subscriber at once
// (read model), and a token confirmed on another instance is found by
// reading the row again.
func TestDeviceCacheFollowsChangeEvents(t *testing.T) {
	src := newMemSource(40)
	cat := catalog.New(src, slog.New(slog.DiscardHandler), catalog.Options{})
	ctx := context.Background()
	if err := cat.Load(ctx); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(benchToken))
	devs := &tableDevices{memDevices: memDevices{dev: store.PortalDevice{Device: api.Device{ID: 1, SubscriberID: 1,
		MAC: aliceMAC}, TokenHash: sum[:], TokenExpiresAt: time.Now().Add(time.Hour)}}}
	p := stalker.New(stalker.Deps{Devices: devs, Directory: subscriberview.NewCatalogDirectory(cat, nil),
		Secret: func() string { return "s" }, Logger: slog.New(slog.DiscardHandler), ExternalURL: "https://tv.example.net"})
	h := portalHandler(p)
	list := "/portal.php?type=itv&action=get_ordered_list&genre=*&p=2&JsHttpRequest=1-xml"
	call := func(token string) string {
		req := httptest.NewRequest(http.MethodGet, list, nil)
		req.Header.Set("Cookie", "mac="+aliceMAC)
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Body.String()
	}

	for range 5 {
		if body := call(benchToken); !strings.Contains(body, `"total_items":40`) {
			t.Fatalf("list: %.200s", body)
		}
	}
	if n := devs.readCount(); n != 1 {
		t.Errorf("5 list calls read the device %d times, want 1", n)
	}

	// A token the box confirmed on another instance: the row is read again.
	newToken := "AB9E6B2F4C1A7E3B5D8F0A2C4E6B8D1F"
	newSum := sha256.Sum256([]byte(newToken))
	devs.mu.Lock()
	devs.dev.TokenHash = newSum[:]
	devs.mu.Unlock()
	if body := call(newToken); !strings.Contains(body, `"total_items":40`) {
		t.Errorf("token confirmed elsewhere: %.200s", body)
	}
	if body := call(benchToken); body != "Authorization failed." {
		t.Errorf("the replaced token still works: %.200s", body)
	}

	// The subscriber disabled: the read model refuses at once.
	src.sub.Status = "disabled"
	src.sub.Version++
	if err := cat.RefreshSubscriber(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if body := call(newToken); body != "Access denied." {
		t.Errorf("disabled subscriber: %.200s", body)
	}
	src.sub.Status = "active"
	src.sub.Version++
	if err := cat.RefreshSubscriber(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if body := call(newToken); !strings.Contains(body, `"total_items":40`) {
		t.Fatalf("enabled again: %.200s", body)
	}

	// The device removed: its change event drops the cached device.
	devs.mu.Lock()
	devs.gone = true
	devs.mu.Unlock()
	p.Notify(api.Change{Entity: api.EntityDevice, Op: api.OpDelete, ID: "1"})
	if body := call(newToken); body != "Authorization failed." {
		t.Errorf("removed device after its change event: %.200s", body)
	}
}

// TestChannelPagesFollowTheCatalog: a cached page is dropped when the
// catalog's version moves (a channel renamed shows on the next call), and
// a box with a favourite on the page sees it marked although the cached
// page of the package set has none.
func TestChannelPagesFollowTheCatalog(t *testing.T) {
	src := newMemSource(40)
	cat := catalog.New(src, slog.New(slog.DiscardHandler), catalog.Options{})
	ctx := context.Background()
	if err := cat.Load(ctx); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(benchToken))
	devs := &memDevices{dev: store.PortalDevice{Device: api.Device{ID: 1, SubscriberID: 1, MAC: aliceMAC},
		TokenHash: sum[:], TokenExpiresAt: time.Now().Add(time.Hour)}}
	p := stalker.New(stalker.Deps{Devices: devs, Directory: subscriberview.NewCatalogDirectory(cat, nil),
		Secret: func() string { return "s" }, Logger: slog.New(slog.DiscardHandler), ExternalURL: "https://tv.example.net"})
	h := portalHandler(p)
	call := func(query string) string {
		req := httptest.NewRequest(http.MethodGet, "/portal.php?"+query, nil)
		req.Header.Set("Cookie", "mac="+aliceMAC)
		req.Header.Set("Authorization", "Bearer "+benchToken)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Body.String()
	}
	page := "type=itv&action=get_ordered_list&genre=*&p=1"
	if body := call(page); !strings.Contains(body, `"name":"Channel 1 HD"`) || strings.Contains(body, `"fav":1`) {
		t.Fatalf("first page: %.300s", body)
	}
	src.cat.Channels[0].Title = "Renamed One"
	if err := cat.ReloadSmall(ctx); err != nil {
		t.Fatal(err)
	}
	if body := call(page); !strings.Contains(body, `"name":"Renamed One"`) {
		t.Errorf("page after the catalog changed: %.300s", body)
	}
	if body := call("type=itv&action=set_fav&fav_ch=3"); body != `{"js":true}` {
		t.Fatalf("set_fav: %s", body)
	}
	body := call(page)
	if !strings.Contains(body, `{"id":3,"name":"Channel 3 HD"`) || strings.Count(body, `"fav":1`) != 1 {
		t.Errorf("page with a favourite: %.600s", body)
	}
}
