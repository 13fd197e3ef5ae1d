package playauth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// reasonOf reads the code of a 403 body, failing on any other shape.
func reasonOf(tb testing.TB, resp *http.Response) string {
	tb.Helper()
	var b struct {
		Errors []struct{ Status, Code, Title string } `json:"errors"`
	}
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, &b); err != nil || len(b.Errors) != 1 || b.Errors[0].Status != "403" || b.Errors[0].Title == "" {
		tb.Fatalf("403 body %q is not {\"errors\":[{status,code,title}]} (%v)", body, err)
	}
	return b.Errors[0].Code
}

func checkAllowHeaders(tb testing.TB, resp *http.Response, userID string) {
	tb.Helper()
	for _, h := range []string{"X-AuthDuration", "X-UserId", "X-Max-Sessions"} {
		if _, err := strconv.Atoi(resp.Header.Get(h)); err != nil {
			tb.Errorf("header %s = %q, want a number", h, resp.Header.Get(h))
		}
	}
	if got := resp.Header.Get("X-UserId"); got != userID {
		tb.Errorf("X-UserId = %q, want %q", got, userID)
	}
	if got := resp.Header.Get("X-AuthDuration"); got != "30" {
		tb.Errorf("X-AuthDuration = %q, want 30 (settings.data.auth_duration_s)", got)
	}
}

func TestPlayGET(t *testing.T) {
	in := startSeeded(t)
	tests := []struct {
		name   string
		q      url.Values
		reason string // "" allows
	}{
		{"OK", nil, ""},
		{"EveryDocumentedParameter", url.Values{"duration": {"12"}, "bytes": {"12345"}, "qs": {"token=tok-good&x=1"},
			"user_agent": {"VLC%2F3.0"}, "referer": {"http%3A%2F%2Fportal"}, "dvr": {"false"}, "request_type": {"update_session"},
			"request_number": {"3"}}, ""},
		{"UnknownAndLegacyParametersIgnored", url.Values{"type": {"hls"}, "media_request": {"hls_live-hls_mbr_playlist"},
			"future_param": {"x"}, "request_number": {"abc"}}, ""},
		{"TokenFromQS", url.Values{"token": {"-"}, "qs": {"token=tok-good&other=1"}}, ""},
		{"TokenInRTMPName", url.Values{"token": {"-"}, "name": {"ch1?token=tok-good"}, "proto": {"rtmp"}}, ""},
		{"FreeChannel", url.Values{"name": {"free1"}}, ""},
		{"FreePackage", url.Values{"name": {"fp1"}, "token": {"tok-nopkg"}}, ""},
		{"ResellerActive", url.Values{"token": {"tok-resold"}}, ""},
		{"IPInCIDR", url.Values{"token": {"tok-iponly"}, "ip": {"10.1.2.3"}}, ""},
		{"IPExact", url.Values{"token": {"tok-iponly"}, "ip": {"192.0.2.7"}}, ""},
		{"UserAgentSubstring", url.Values{"token": {"tok-uaonly"}, "user_agent": {"Mozilla vlc/3.0"}}, ""},
		{"DVR", url.Values{"name": {"dvr1"}, "dvr": {"true"}}, ""},
		{"MissingToken", url.Values{"token": {"-"}}, "unknown_token"},
		{"UnknownToken", url.Values{"token": {"nope"}}, "unknown_token"},
		{"Expired", url.Values{"token": {"tok-expired"}}, "expired"},
		{"Disabled", url.Values{"token": {"tok-disabled"}}, "disabled"},
		{"Banned", url.Values{"token": {"tok-banned"}}, "banned"},
		{"ResellerDisabled", url.Values{"token": {"tok-resold-off"}}, "reseller_disabled"},
		{"UnknownChannel", url.Values{"name": {"nosuch"}}, "unknown_channel"},
		{"ChannelDisabled", url.Values{"name": {"off1"}}, "channel_disabled"},
		{"NotInPackage", url.Values{"name": {"ch2"}}, "not_in_package"},
		{"NoPackages", url.Values{"token": {"tok-nopkg"}}, "not_in_package"},
		{"IPNotAllowed", url.Values{"token": {"tok-iponly"}, "ip": {"198.51.100.1"}}, "ip_not_allowed"},
		{"IPMissing", url.Values{"token": {"tok-iponly"}, "ip": {"-"}}, "ip_not_allowed"},
		{"UserAgentNotAllowed", url.Values{"token": {"tok-uaonly"}, "user_agent": {"curl/8"}}, "user_agent_not_allowed"},
		{"DVRNotAllowed", url.Values{"dvr": {"true"}}, "dvr_not_allowed"},
		{"MissingName", url.Values{"name": {"-"}}, "missing_name"},
	}
	ids := map[string]string{"": "1", "-": "1", "tok-good": "1", "tok-nopkg": "10", "tok-resold": "5", "tok-iponly": "7", "tok-uaonly": "8"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDecision(t, play(t, in.url, tt.q), tt.reason, ids[tt.q.Get("token")])
		})
	}
}

// checkDecision checks an answer: allowed for userID when reason is "",
// else a 403 with that reason.
func checkDecision(t *testing.T, resp *http.Response, reason, userID string) {
	t.Helper()
	if reason == "" {
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d (%s), want 200", resp.StatusCode, reasonOf(t, resp))
		}
		checkAllowHeaders(t, resp, userID)
		return
	}
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403 %s", resp.StatusCode, reason)
	}
	if got := reasonOf(t, resp); got != reason {
		t.Errorf("reason %q, want %q", got, reason)
	}
}

func TestDVRRangeLimitsToDepth(t *testing.T) {
	in := startSeeded(t)
	before := time.Now().Unix()
	resp := play(t, in.url, url.Values{"name": {"dvr1"}, "dvr": {"true"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	var b struct {
		Ranges []struct {
			OpenedAt int64 `json:"opened_at"`
			ClosedAt int64 `json:"closed_at"`
		} `json:"allowed_dvr_ranges"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil || len(b.Ranges) != 1 {
		t.Fatalf("body: %v, ranges %v; want one allowed_dvr_ranges entry", err, b.Ranges)
	}
	depth := int64(7 * 24 * 3600)
	if got := b.Ranges[0].OpenedAt; got < before-depth || got > time.Now().Unix()-depth {
		t.Errorf("opened_at %d, want now-7 days (%d)", got, before-depth)
	}
	if b.Ranges[0].ClosedAt < before {
		t.Errorf("closed_at %d is before the request (%d)", b.Ranges[0].ClosedAt, before)
	}
	live := play(t, in.url, url.Values{"name": {"dvr1"}, "session_id": {"live-dvr1"}})
	if body, _ := io.ReadAll(live.Body); live.StatusCode != http.StatusOK || len(body) != 0 {
		t.Errorf("live answer %d %q, want 200 with no body (field absent = whole archive)", live.StatusCode, body)
	}
}

func TestPublishPOST(t *testing.T) {
	in := startSeeded(t)
	tests := []struct {
		name   string
		body   string
		reason string
	}{
		{"KeyAsToken", `{"name":"ch1","proto":"rtmp","ip":"10.77.0.150","request_type":"new_session","request_number":1,
			"session_id":"p1","stream_clients":1,"total_clients":2,"token":"pubkey","duration":2,"bytes":12345,
			"qs":"","user_agent":"OBS%2F30","referer":"","host":{}}`, ""},
		{"KeyInQS", `{"name":"ch1","proto":"rtmp","ip":"10.0.0.1","qs":"key=pubkey","host":"ingest1.example.com"}`, ""},
		{"WrongKey", `{"name":"ch1","proto":"rtmp","token":"tok-good"}`, "publish_not_allowed"},
		{"UnknownChannel", `{"name":"nosuch","token":"pubkey"}`, "unknown_channel"},
		{"DisabledChannel", `{"name":"off1","token":"pubkey"}`, "channel_disabled"},
		{"Malformed", `{"name":`, "bad_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.Post(in.url+"/flussonic/"+secret+"/auth", "application/json", bytes.NewBufferString(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if _, err := strconv.Atoi(resp.Header.Get("X-AuthDuration")); err != nil {
				t.Errorf("X-AuthDuration %q, want a number", resp.Header.Get("X-AuthDuration"))
			}
			switch {
			case tt.reason == "" && resp.StatusCode != http.StatusOK:
				t.Fatalf("status %d (%s), want 200", resp.StatusCode, reasonOf(t, resp))
			case tt.reason != "" && resp.StatusCode != http.StatusForbidden:
				t.Fatalf("status %d, want 403", resp.StatusCode)
			case tt.reason != "":
				if got := reasonOf(t, resp); got != tt.reason {
					t.Errorf("reason %q, want %q", got, tt.reason)
				}
			}
		})
	}
}

func TestPlayAsPOSTOnPlayPath(t *testing.T) {
	in := startSeeded(t)
	body := `{"name":"ch1","proto":"hls","ip":"192.0.2.7","request_type":"new_session","session_id":"post-play","token":"tok-good","request_number":0}`
	resp, err := client.Post(in.url+"/flussonic/"+secret+"/on_play", "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	checkAllowHeaders(t, resp, "1")
}

// TestWrongSecretIsNotFound walks every play-authorization route (those
// under a :secret but config_external's, whose own test expects 403), so
// routes added later are covered too.
func TestWrongSecretIsNotFound(t *testing.T) {
	in := startSeeded(t)
	checked := 0
	for _, r := range in.app.Engine().Routes() {
		if !strings.Contains(r.Path, ":secret") || strings.Contains(r.Path, "/config/") {
			continue
		}
		path := strings.ReplaceAll(r.Path, ":secret", "wrong")
		req, err := http.NewRequest(r.Method, in.url+path+"?name=ch1&token=tok-good", strings.NewReader("name=ch1&token=tok-good"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s: status %d, want 404", r.Method, path, resp.StatusCode)
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("checked %d routes under :secret; the walk is not seeing the router", checked)
	}
}

func TestSessionLimitAndKill(t *testing.T) {
	in := startSeeded(t)
	first := url.Values{"token": {"tok-limited"}, "session_id": {"lim-1"}}
	if resp := play(t, in.url, first); resp.StatusCode != http.StatusOK {
		t.Fatalf("first session: status %d, want 200", resp.StatusCode)
	}
	second := play(t, in.url, url.Values{"token": {"tok-limited"}, "session_id": {"lim-2"}})
	if second.StatusCode != http.StatusForbidden || reasonOf(t, second) != "too_many_sessions" {
		t.Fatalf("second session: status %d, want 403 too_many_sessions", second.StatusCode)
	}
	update := url.Values{"token": {"tok-limited"}, "session_id": {"lim-1"}, "request_type": {"update_session"}, "request_number": {"1"}}
	if resp := play(t, in.url, update); resp.StatusCode != http.StatusOK {
		t.Fatalf("update of the admitted session: status %d, want 200", resp.StatusCode)
	}
	if resp := play(t, in.url, first); resp.Header.Get("X-Max-Sessions") != "1" {
		t.Errorf("X-Max-Sessions %q, want 1", resp.Header.Get("X-Max-Sessions"))
	}

	ctx := context.Background()
	page, err := in.app.PlayAuth().FindPlaySessions(ctx, apiFilter(9), apiList())
	if err != nil || len(page.Items) != 1 || page.Items[0].SessionID != "lim-1" {
		t.Fatalf("live sessions of subscriber 9: %+v, %v; want lim-1 only", page.Items, err)
	}
	if _, err := in.app.PlayAuth().KillPlaySession(ctx, adminActor(), page.Items[0].ID); err != nil {
		t.Fatalf("kill: %v", err)
	}
	killed := play(t, in.url, update)
	if killed.StatusCode != http.StatusForbidden || reasonOf(t, killed) != "session_killed" {
		t.Fatalf("update after kill: status %d, want 403 session_killed", killed.StatusCode)
	}
	if resp := play(t, in.url, url.Values{"token": {"tok-limited"}, "session_id": {"lim-3"}}); resp.StatusCode != http.StatusOK {
		t.Errorf("new session after the kill freed the slot: status %d, want 200", resp.StatusCode)
	}
}
