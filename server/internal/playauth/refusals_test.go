package playauth_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"canale/server/internal/playauth"
	"canale/server/internal/store"
	"canale/shared/api"
)

// TestRefusalsRecorded refuses a play for each reason a NOC is asked about
// most, on the Flussonic and the nginx surfaces, and reads each back from
// the admin list with its subscriber, channel, address and reason.
func TestRefusalsRecorded(t *testing.T) {
	in := startSeeded(t)
	ctx := context.Background()
	cases := []struct {
		name, token, login, channel, ip string
		reason                          playauth.Reason
	}{
		{"expired", "tok-expired", "expired", "ch1", "198.51.100.1", playauth.ReasonExpired},
		{"disabled", "tok-disabled", "disabled", "ch1", "198.51.100.2", playauth.ReasonDisabled},
		{"no package", "tok-nopkg", "nopkg", "ch1", "198.51.100.3", playauth.ReasonNotInPackage},
		{"bad token", "tok-nobody", "", "ch1", "198.51.100.4", playauth.ReasonUnknownToken},
	}
	for _, tc := range cases {
		resp := play(t, in.url, url.Values{"token": {tc.token}, "ip": {tc.ip}, "name": {tc.channel},
			"session_id": {"refused-" + tc.ip}})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s: status %d, want 403", tc.name, resp.StatusCode)
		}
	}
	// The session limit: "limited" may watch one stream; the second is refused.
	for i, ip := range []string{"198.51.100.5", "198.51.100.6"} {
		resp := play(t, in.url, url.Values{"token": {"tok-limited"}, "ip": {ip}, "session_id": {"limit-" + ip}})
		if want := []int{http.StatusOK, http.StatusForbidden}[i]; resp.StatusCode != want {
			t.Fatalf("limit play %d: status %d, want %d", i, resp.StatusCode, want)
		}
	}
	cases = append(cases, struct {
		name, token, login, channel, ip string
		reason                          playauth.Reason
	}{"session limit", "tok-limited", "limited", "ch1", "198.51.100.6", playauth.ReasonTooManySessions})
	// nginx's auth_request: a disabled channel.
	req, _ := http.NewRequest(http.MethodGet, in.url+"/nginx/"+secret+"/auth", nil)
	req.Header.Set("X-Original-URI", "/hls/tok-good/off1/index.m3u8")
	req.Header.Set("X-Real-IP", "198.51.100.7")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("nginx: status %d, want 403", resp.StatusCode)
	}
	cases = append(cases, struct {
		name, token, login, channel, ip string
		reason                          playauth.Reason
	}{"nginx channel disabled", "tok-good", "good", "off1", "198.51.100.7", playauth.ReasonChannelDisabled})

	in.app.PlayAuth().FlushRefusals(ctx)
	svc := in.app.PlayAuth()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := api.PlayRefusalFilter{SubscriberLogin: tc.login, Reason: string(tc.reason)}
			page, err := svc.FindPlayRefusals(ctx, f, api.ListParams{})
			if err != nil {
				t.Fatal(err)
			}
			var got *api.PlayRefusal
			for i := range page.Items {
				if page.Items[i].IP == tc.ip {
					got = &page.Items[i]
				}
			}
			if got == nil {
				t.Fatalf("no refusal from %s with filter %+v in %+v", tc.ip, f, page.Items)
			}
			if got.Reason != string(tc.reason) || got.ReasonTitle != tc.reason.Title() {
				t.Errorf("reason %q (%q), want %q (%q)", got.Reason, got.ReasonTitle, tc.reason, tc.reason.Title())
			}
			if got.SubscriberLogin != tc.login {
				t.Errorf("subscriber %q, want %q", got.SubscriberLogin, tc.login)
			}
			if (got.SubscriberID == nil) != (tc.login == "") {
				t.Errorf("subscriber id %v for login %q", got.SubscriberID, tc.login)
			}
			if got.Name != tc.channel {
				t.Errorf("channel %q, want %q", got.Name, tc.channel)
			}
			if time.Since(got.At) > time.Minute {
				t.Errorf("at %v, want about now", got.At)
			}
		})
	}
	// An allowed play is no refusal.
	page, err := svc.FindPlayRefusals(ctx, api.PlayRefusalFilter{SubscriberLogin: "limited"}, api.ListParams{})
	if err != nil || len(page.Items) != 1 {
		t.Errorf("refusals of limited: got %d (%v), want 1: only the second session", len(page.Items), err)
	}
}

// blockedRefusals is a refusal store whose writes never return until
// released: a play check that waited on it would hang.
type blockedRefusals struct{ release chan struct{} }

func (b blockedRefusals) InsertPlayRefusals(ctx context.Context, _ []store.PlayRefusalWrite) error {
	select {
	case <-b.release:
	case <-ctx.Done():
	}
	return errors.New("released")
}

func (b blockedRefusals) PrunePlayRefusals(context.Context, time.Time) (int64, error) { return 0, nil }

func (b blockedRefusals) FindPlayRefusals(context.Context, api.PlayRefusalFilter, api.ListParams) (api.Page[api.PlayRefusal], error) {
	return api.Page[api.PlayRefusal]{}, nil
}

// TestRefusalQueueNeverBlocks refuses far more plays than the refusal
// queue holds while its database writes hang: every check still answers at
// once, and what did not fit is dropped and counted.
func TestRefusalQueueNeverBlocks(t *testing.T) {
	in := startSeeded(t)
	b := blockedRefusals{release: make(chan struct{})}
	defer close(b.release)
	svc := playauth.New(playauth.Deps{Catalog: in.app.Catalog(), Store: in.store, Refusals: b, RefusalQueue: 8,
		Logger: slog.New(slog.DiscardHandler), FlushInterval: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go svc.Run(ctx) // its writer takes a batch and hangs on it
	const n = 500
	start := time.Now()
	for i := range n {
		d := svc.Authorize(ctx, playauth.Request{Kind: playauth.KindPlay, Name: "ch1", Token: "tok-nobody", IP: "198.51.100.9",
			SessionID: "blocked-" + string(rune('a'+i%26))})
		if d.Allow || d.Reason != playauth.ReasonUnknownToken {
			t.Fatalf("decision %+v, want unknown_token", d)
		}
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("%d refused checks took %v with the refusal writer stuck, want no waiting", n, took)
	}
	// At most the queue (8) and the batch the stuck writer took (at most
	// the 8 it found queued) are held; every other refusal was dropped.
	if got := svc.RefusalsDropped(); got < n-16 || got > n {
		t.Errorf("dropped %d refusals, want at least %d of %d (queue 8)", got, n-16, n)
	}
}
