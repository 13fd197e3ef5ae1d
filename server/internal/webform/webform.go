// Package webform holds what the server-rendered surfaces (the customer
// portal, the reseller panel) share about forms: cookies on their own path,
// CSRF tokens compared in constant time, the double-submit token of a
// sign-in form, and how a refused sign-in is told. It knows no surface, so
// both keep their pages and sessions and agree on these rules.
package webform

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"

	"canale/server/internal/credential"
	"canale/server/internal/signin"
	"canale/shared/api"
)

// CSRFField is the form field that carries the CSRF token.
const CSRFField = "csrf"

// ExpiredForm is the 403 body of a form whose CSRF token does not match.
const ExpiredForm = "the form has expired or did not come from this site; reload the page and try again\n"

// Cookies sets a surface's cookies: HttpOnly, under Path, Secure when the
// request came over HTTPS.
type Cookies struct {
	Path     string
	SameSite http.SameSite
	// Scheme returns the request's scheme ("https" makes cookies Secure).
	Scheme func(*http.Request) string
}

// Set sets (maxAge > 0) or clears (maxAge < 0) a cookie.
func (k Cookies) Set(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: k.Path, MaxAge: maxAge, HttpOnly: true,
		SameSite: k.SameSite, Secure: k.Scheme(r) == "https"})
}

// SameToken reports whether a form's token is the expected one; an empty
// token never matches.
func SameToken(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// LoginCSRF is the double-submit token of a sign-in form, which has no
// session to hold one: the form and a cookie carry the same random token.
type LoginCSRF struct {
	Cookie  string
	Cookies Cookies
}

// Issue makes a token for one form, valid for an hour, and sets its cookie.
func (l LoginCSRF) Issue(w http.ResponseWriter, r *http.Request) string {
	token := credential.NewToken()
	l.Cookies.Set(w, r, l.Cookie, token, 3600)
	return token
}

// Valid reports whether the posted form carries its cookie's token.
func (l LoginCSRF) Valid(r *http.Request) bool {
	cookie, err := r.Cookie(l.Cookie)
	return err == nil && SameToken(r.PostFormValue(CSRFField), cookie.Value)
}

// Clear drops the cookie once signed in.
func (l LoginCSRF) Clear(w http.ResponseWriter, r *http.Request) {
	l.Cookies.Set(w, r, l.Cookie, "", -1)
}

// SignInRefusal says how a sign-in page answers err: the status and the
// message to show, with Retry-After set when the guard says when to come
// back. refused is false for any other error, which the page answers as
// unavailable.
func SignInRefusal(w http.ResponseWriter, err error) (status int, msg string, refused bool) {
	if secs, ok := signin.RetryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	switch {
	case errors.Is(err, signin.ErrBadCredentials):
		return http.StatusUnauthorized, "Wrong login or password.", true
	case api.ErrorCode(err) == api.CodeRateLimited:
		return http.StatusTooManyRequests, "Too many failed attempts. " + err.Error() + ".", true
	case api.ErrorCode(err) == api.CodeUnavailable:
		return http.StatusServiceUnavailable, "Too many people are signing in right now; please try again in a moment.", true
	}
	return 0, "", false
}
