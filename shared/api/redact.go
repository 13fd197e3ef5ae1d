package api

import (
	"encoding/json"
	"net/url"
	"strings"
)

// Redacted is what a secret is replaced with in an answer to a role that may
// not read it.
const Redacted = "REDACTED"

// Redactor is a value that can show itself without its secrets: what the
// read-only operator role, which must not be able to impersonate streamers,
// subscribers or sources, is answered.
type Redactor interface {
	WithoutSecrets() any
}

// SeesSecrets reports whether the role may read secrets (the streamer secret,
// subscriber tokens, credentials inside URLs). Only admins may: they are the
// ones who paste them into streamers and hand them to subscribers.
func (r Role) SeesSecrets() bool { return r == RoleAdmin }

// WithoutSecrets drops the streamer secret and the URLs that embed it.
func (s Settings) WithoutSecrets() any {
	s.StreamerSecret, s.AuthURL, s.ConfigExternalURL = "", "", ""
	return s
}

// WithoutSecrets drops the playback token, the links that carry it and any
// password.
func (s Subscriber) WithoutSecrets() any {
	s.Token, s.PlaylistURL, s.EPGURL, s.Password = "", "", "", ""
	return s
}

// WithoutSecrets drops the password.
func (r Reseller) WithoutSecrets() any {
	r.Password = ""
	return r
}

// WithoutSecrets hides credentials inside the API URL.
func (s Streamer) WithoutSecrets() any {
	s.APIURL = RedactURL(s.APIURL)
	s.PublicURL = RedactURL(s.PublicURL)
	return s
}

// WithoutSecrets hides credentials inside the source URL, and in the last
// error, which may quote the URL.
func (s EPGSource) WithoutSecrets() any {
	s.LastError = redactURLParts(s.LastError, s.URL)
	s.URL = RedactURL(s.URL)
	return s
}

// WithoutSecrets hides the source's credentials.
func (s EPGSourceStatus) WithoutSecrets() any {
	s.EPGSource = s.EPGSource.WithoutSecrets().(EPGSource)
	return s
}

// WithoutSecrets hides secrets in the recorded before and after images.
func (e AuditEntry) WithoutSecrets() any {
	e.Before, e.After = RedactJSON(e.Before), RedactJSON(e.After)
	return e
}

// WithoutSecrets redacts each item that has secrets.
func (p Page[T]) WithoutSecrets() any {
	out := Page[any]{Items: make([]any, len(p.Items)), Next: p.Next}
	for i, it := range p.Items {
		out.Items[i] = WithoutSecrets(it)
	}
	return out
}

// WithoutSecrets returns v without its secrets when it is a Redactor or a
// slice of them, and v unchanged otherwise.
func WithoutSecrets(v any) any {
	switch t := v.(type) {
	case Redactor:
		return t.WithoutSecrets()
	case []AuditEntry:
		return redactSlice(t)
	case []EPGSource:
		return redactSlice(t)
	case []Subscriber:
		return redactSlice(t)
	case []Streamer:
		return redactSlice(t)
	}
	return v
}

func redactSlice[T Redactor](items []T) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it.WithoutSecrets()
	}
	return out
}

// RedactURL replaces the password of a URL's user information and the values
// of its query (where XC-style guide URLs carry username and password) with
// Redacted. Anything that does not parse as an absolute URL is returned as is.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return raw
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Redacted)
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{Redacted}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// redactURLParts removes from text the secret parts of rawURL: its password
// and query values.
func redactURLParts(text, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || text == "" {
		return text
	}
	var secrets []string
	if p, ok := u.User.Password(); ok && p != "" {
		secrets = append(secrets, p)
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			if v != "" {
				secrets = append(secrets, v, url.QueryEscape(v))
			}
		}
	}
	for _, s := range secrets {
		text = strings.ReplaceAll(text, s, Redacted)
	}
	return text
}

// secretKeys are the JSON keys whose values are secrets wherever they appear
// in a recorded entity.
var secretKeys = map[string]bool{
	"token": true, "password": true, "password_hash": true, "streamer_secret": true,
	"auth_url": true, "config_external_url": true, "api_password": true, "api_key": true,
	"totp_secret": true, "recovery_codes": true, "playlist_url": true, "epg_url": true,
}

// RedactJSON replaces the values of secret keys in a JSON document with
// Redacted and the credentials inside URL strings, at any depth. A document
// that does not parse is dropped rather than shown.
func RedactJSON(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return raw
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil
	}
	out, err := json.Marshal(redactValue(v))
	if err != nil {
		return nil
	}
	return out
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if secretKeys[strings.ToLower(k)] {
				t[k] = Redacted
				continue
			}
			t[k] = redactValue(x)
		}
	case []any:
		for i, x := range t {
			t[i] = redactValue(x)
		}
	case string:
		if strings.Contains(t, "://") {
			return RedactURL(t)
		}
	}
	return v
}
