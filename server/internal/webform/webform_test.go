package webform_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"canale/server/internal/signin"
	"canale/server/internal/webform"
	"canale/shared/api"
)

func TestSignInRefusal(t *testing.T) {
	for _, c := range []struct {
		err     error
		status  int
		refused bool
	}{
		{fmt.Errorf("check: %w", signin.ErrBadCredentials), http.StatusUnauthorized, true},
		{api.Errorf(api.CodeRateLimited, "try again in 30s"), http.StatusTooManyRequests, true},
		{api.Errorf(api.CodeUnavailable, "busy"), http.StatusServiceUnavailable, true},
		{fmt.Errorf("database down"), 0, false},
		{nil, 0, false},
	} {
		status, msg, refused := webform.SignInRefusal(httptest.NewRecorder(), c.err)
		if status != c.status || refused != c.refused || refused == (msg == "") {
			t.Errorf("%v: got %d %q %v, want %d refused=%v", c.err, status, msg, refused, c.status, c.refused)
		}
	}
}

func TestLoginCSRF(t *testing.T) {
	l := webform.LoginCSRF{Cookie: "login_csrf", Cookies: webform.Cookies{Path: "/x/", SameSite: http.SameSiteStrictMode,
		Scheme: func(*http.Request) string { return "https" }}}
	w := httptest.NewRecorder()
	token := l.Issue(w, httptest.NewRequest(http.MethodGet, "/x/login", nil))
	cookie := w.Result().Cookies()[0]
	if cookie.Value != token || !cookie.Secure || !cookie.HttpOnly || cookie.Path != "/x/" || cookie.MaxAge != 3600 {
		t.Fatalf("cookie: %+v", cookie)
	}
	post := func(form string, withCookie bool) bool {
		r := httptest.NewRequest(http.MethodPost, "/x/login", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if withCookie {
			r.AddCookie(&http.Cookie{Name: "login_csrf", Value: token})
		}
		return l.Valid(r)
	}
	if !post("csrf="+url.QueryEscape(token), true) {
		t.Error("the issued token with its cookie: refused")
	}
	for name, ok := range map[string]bool{"no cookie": post("csrf="+url.QueryEscape(token), false),
		"other token": post("csrf=forged", true), "no token": post("", true)} {
		if ok {
			t.Errorf("%s: accepted", name)
		}
	}
}
