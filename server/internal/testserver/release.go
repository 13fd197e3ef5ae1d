package testserver

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"canale/server/internal/store/storetest"
	"canale/shared/api"
	"canale/shared/client"
)

// CheckReleaseData checks through the running server at base what
// storetest.ReleaseSeedSQL wrote: its admin and reseller sign in with the
// passwords hashed into the seed, the reseller's credits are intact, and
// every subscriber's playback token is allowed to play the seed's channel
// (while an unknown token is refused, so the check can fail).
func CheckReleaseData(tb testing.TB, base, adminPassword, resellerPassword string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := client.New(base, nil)
	if _, err := admin.Login(ctx, storetest.ReleaseAdmin, adminPassword); err != nil {
		tb.Errorf("admin %s sign-in: %v", storetest.ReleaseAdmin, err)
	} else if r, err := admin.Reseller(ctx, storetest.ReleaseResellerID); err != nil {
		tb.Errorf("reseller %d: %v", storetest.ReleaseResellerID, err)
	} else if got := api.FormatCredits(r.CreditsMinor); got != storetest.ReleaseCredits {
		tb.Errorf("reseller credits: got %s, want %s", got, storetest.ReleaseCredits)
	}
	if _, err := client.New(base, nil).LoginReseller(ctx, storetest.ReleaseReseller, resellerPassword); err != nil {
		tb.Errorf("reseller %s sign-in: %v", storetest.ReleaseReseller, err)
	}
	for i, token := range storetest.ReleaseTokens {
		if code := playAuth(tb, base, token, fmt.Sprintf("release-%d", i)); code != http.StatusOK {
			tb.Errorf("play with token %s: got HTTP %d, want 200", token, code)
		}
	}
	if code := playAuth(tb, base, "not-a-token", "release-x"); code != http.StatusForbidden {
		tb.Errorf("play with an unknown token: got HTTP %d, want 403", code)
	}
}

// playAuth asks the Flussonic auth endpoint whether token may play the
// seed's channel and returns the status code of the answer.
func playAuth(tb testing.TB, base, token, session string) int {
	tb.Helper()
	q := url.Values{"name": {storetest.ReleaseChannel}, "token": {token}, "ip": {"198.51.100.7"}, "proto": {"hls"},
		"request_type": {"new_session"}, "session_id": {session}}
	resp, err := http.Get(base + "/flussonic/" + storetest.ReleaseSecret + "/auth?" + q.Encode())
	if err != nil {
		tb.Fatalf("play auth: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
