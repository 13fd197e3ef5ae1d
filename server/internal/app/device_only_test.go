package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestDeviceOnlyAttributes checks that an operator sets and clears XC's
// device-only flags through the admin API (subscriber attributes is_mag and
// is_e2, as `canale import xc` writes them): get.php refuses the line with
// DEVICE_NOT_ALLOWED while a flag is set, in any spelling an operator may
// write for yes, player_api keeps signing it in, and clearing the flag
// gives the playlist back.
func TestDeviceOnlyAttributes(t *testing.T) {
	srv := testserver.Start(t)
	sub, err := srv.Admin.CreateSubscriber(t.Context(), api.Subscriber{Login: "boxline", Password: "box-password-1",
		Status: api.StatusActive, MaxSessions: 1, Attributes: json.RawMessage(`{"is_mag": "1"}`)})
	if err != nil {
		t.Fatal(err)
	}
	creds := url.Values{"username": {"boxline"}, "password": {"box-password-1"}}.Encode()
	getPHP := func() (int, string) {
		res, err := http.Get(srv.URL + "/get.php?" + creds + "&type=m3u_plus")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	refused := func() bool {
		code, body := getPHP()
		return code == http.StatusForbidden && strings.Contains(body, "DEVICE_NOT_ALLOWED")
	}
	waitFor(t, "the is_mag line's refusal", refused)

	res, err := http.Get(srv.URL + "/player_api.php?" + creds)
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		UserInfo struct {
			Auth int `json:"auth"`
		} `json:"user_info"`
	}
	err = json.NewDecoder(res.Body).Decode(&info)
	res.Body.Close()
	if err != nil || info.UserInfo.Auth != 1 {
		t.Errorf("player_api sign-in of an is_mag line: auth %d (%v), want 1 as XC_VM answers", info.UserInfo.Auth, err)
	}

	// Each step flips the answer, so each wait shows the read model took
	// the new attributes.
	served := func() bool {
		code, body := getPHP()
		return code == http.StatusOK && strings.HasPrefix(body, "#EXTM3U")
	}
	for _, step := range []struct {
		attrs string
		want  func() bool
	}{
		{`{"is_mag": false}`, served},
		{`{"is_e2": "TRUE"}`, refused},
		{`{"is_e2": false, "is_mag": "0"}`, served},
	} {
		raw := json.RawMessage(step.attrs)
		if sub, err = srv.Admin.UpdateSubscriber(t.Context(), sub.ID, api.SubscriberUpdate{Attributes: &raw, Version: sub.Version}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the get.php answer for attributes "+step.attrs, step.want)
	}
}
