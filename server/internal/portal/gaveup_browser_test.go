package portal_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/playauth"
	"canale/server/internal/testbrowser"
	"canale/server/internal/testedge"
	"canale/shared/api"

	"github.com/chromedp/chromedp"
)

// playauthEdgeAuth answers the edge's auth_request with a real
// playauth.Service, so every admitted HLS request opens or refreshes a
// play session as in production (one per token, address and stream).
func playauthEdgeAuth(t *testing.T, svc *atomic.Pointer[playauth.Service]) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := url.Parse(r.Header.Get("X-Original-URI"))
		s := svc.Load()
		if err != nil || s == nil {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		stream := strings.Split(strings.Trim(u.Path, "/"), "/")[0]
		token, ip := u.Query().Get("token"), r.Header.Get("X-Real-IP")
		d := s.Authorize(r.Context(), playauth.Request{Kind: playauth.KindPlay, Name: stream, Token: token, IP: ip,
			Proto: "hls", UserAgent: r.UserAgent(), SessionID: "ngx-" + token + "-" + ip + "-" + stream})
		if !d.Allow {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestBrowserFailedPlayIsNotWatching plays ch1 in Chromium through a real
// edge whose playlist is garbled: the edge admits the request (a session
// opens), hls.js gives up, and the account page must not list the play
// under "Watching now"; the session is closed as 'ended'. A play that works
// is listed, also on the same session id (token, address, stream), both
// through admission (a session limit) and without one.
func TestBrowserFailedPlayIsNotWatching(t *testing.T) {
	for _, limit := range []int{1, 0} {
		t.Run("max_sessions="+strconv.Itoa(limit), func(t *testing.T) { failedPlayIsNotWatching(t, limit) })
	}
}

func failedPlayIsNotWatching(t *testing.T, maxSessions int) {
	var svc atomic.Pointer[playauth.Service]
	edge := testedge.Start(t, testedge.Options{AuthURL: playauthEdgeAuth(t, &svc)})
	edge.Publish(t, "ch1")
	target, _ := url.Parse("http://" + edge.HTTPAddr())
	var broken atomic.Bool
	broken.Store(true)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(res *http.Response) error {
		if broken.Load() && res.StatusCode == http.StatusOK && strings.HasSuffix(res.Request.URL.Path, ".m3u8") {
			_ = res.Body.Close() // admitted by the edge, then unplayable
			res.Body = io.NopCloser(bytes.NewReader([]byte("this is not a playlist\n")))
			res.ContentLength = -1
			res.Header.Del("Content-Length")
		}
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	e := startWith(t, startOptions{streamBase: front.URL, playauth: true,
		sql: []string{"UPDATE subscribers SET max_sessions = " + strconv.Itoa(maxSessions) + " WHERE id = 1"}})
	svc.Store(e.plays)

	ctx := testbrowser.New(t)
	gridSignIn(t, ctx, e)
	err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/player/1"), chromedp.WaitVisible(chromedp.CSS("#player-retry")))
	if err != nil {
		t.Fatalf("the garbled play shows no Retry: %v", err)
	}
	ended := func() bool {
		pg, err := e.plays.FindPlaySessions(t.Context(), api.PlaySessionFilter{SubscriberID: 1, History: true}, api.ListParams{})
		if err != nil {
			t.Fatal(err)
		}
		for _, ps := range pg.Items {
			if ps.CloseReason != "ended" {
				return false
			}
		}
		return len(pg.Items) > 0
	}
	deadline := time.Now().Add(10 * time.Second)
	for !ended() {
		if time.Now().After(deadline) {
			pg, _ := e.plays.FindPlaySessions(t.Context(), api.PlaySessionFilter{SubscriberID: 1, History: true}, api.ListParams{})
			t.Fatalf("the failed play's session was not ended: %+v", pg.Items)
		}
		time.Sleep(100 * time.Millisecond)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(e.url+"/account"), chromedp.WaitVisible(chromedp.CSS("#plays")))
	if err != nil {
		t.Fatal(err)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll("#play-sessions tbody tr").length`); n != 0 ||
		!evalJS[bool](t, ctx, `!!document.getElementById("no-plays")`) {
		t.Errorf("after a failed play the account lists %d plays under Watching now, want none", n)
	}

	broken.Store(false)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/player/1")); err != nil {
		t.Fatal(err)
	}
	waitPlaying(t, ctx)
	deadline = time.Now().Add(10 * time.Second)
	for {
		if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/account"), chromedp.WaitVisible(chromedp.CSS("#plays"))); err != nil {
			t.Fatal(err)
		}
		rows := evalJS[string](t, ctx, `Array.from(document.querySelectorAll("#play-sessions tbody tr")).map(r => r.cells[0].textContent).join(",")`)
		if rows == "ch1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a working play is listed as %q under Watching now, want ch1", rows)
		}
		time.Sleep(300 * time.Millisecond)
	}
}
