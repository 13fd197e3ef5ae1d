package api

import (
	"net/url"
	"strings"
)

// checkURL records a failure for field unless s is an absolute http or https
// URL with a host. An empty s passes when optional is true.
func checkURL(f FieldErrors, field, s string, optional bool) {
	if s == "" {
		if !optional {
			f.Add(field, "required")
		}
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		f.Add(field, "must be an absolute http or https URL")
	}
}

// checkNoUserinfo records a failure for field when the URL s carries a
// user name or password (http://user:pass@host/). The message does not
// repeat them.
func checkNoUserinfo(f FieldErrors, field, s string) {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		f.Add(field, "must not carry a login or password; use api_login and api_password")
	}
}

// checkName records a failure for field when s is blank or longer than max.
func checkName(f FieldErrors, field, s string, max int) {
	switch {
	case strings.TrimSpace(s) == "":
		f.Add(field, "required")
	case len([]rune(s)) > max:
		f.Add(field, "too long")
	}
}

// checkNonNegative records a failure for field when n is negative.
func checkNonNegative(f FieldErrors, field string, n int64) {
	if n < 0 {
		f.Add(field, "must not be negative")
	}
}
