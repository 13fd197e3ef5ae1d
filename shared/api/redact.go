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

// WithoutSecrets drops the playback and tuner tokens, the links that carry
// them and any password; the tuners keep their packages and DeviceIDs.
func (s Subscriber) WithoutSecrets() any {
	s.Token, s.PlaylistURL, s.PlaylistTSURL, s.EPGURL, s.Password = "", "", "", "", ""
	s.TunerToken, s.TunerURL = "", ""
	if s.Tuners != nil { // a copy: the caller's subscriber keeps its URLs
		tuners := make([]Tuner, len(s.Tuners))
		for i, t := range s.Tuners {
			tuners[i] = Tuner{PackageID: t.PackageID, DeviceID: t.DeviceID}
		}
		s.Tuners = tuners
	}
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

// WithoutSecrets shows each source as RedactSourceURL does: upstream
// credentials often sit in the path, where RedactURL cannot tell them.
func (ch Channel) WithoutSecrets() any {
	if ch.Sources != nil {
		sources := make([]Source, len(ch.Sources))
		for i, s := range ch.Sources {
			sources[i] = Source{URL: RedactSourceURL(s.URL), Priority: s.Priority}
		}
		ch.Sources = sources
	}
	return ch
}

// WithoutSecrets shows the file URL as RedactSourceURL does.
func (v VOD) WithoutSecrets() any {
	v.SourceURL = RedactSourceURL(v.SourceURL)
	return v
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
	case []Channel:
		return redactSlice(t)
	case []VOD:
		return redactSlice(t)
	case []Device:
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

// hiddenPart stands for what RedactSourceURL leaves out of a URL.
const hiddenPart = "/…"

// RedactSourceURL shows of an upstream source URL only its scheme, host and
// port, followed by "/…" when it had anything more (user information, path,
// query or fragment): "http://user:pass@host:8080/live/u/p/1.ts?t=x" becomes
// "http://host:8080/…", "udp://239.0.0.1:1234" stays as it is. Upstream
// providers put credentials anywhere, the path included (Xtream style
// /live/user/pass/1.ts), so nothing past the host can be shown safely; the
// host is enough for an operator to tell which upstream is failing. A value
// that is not an absolute URL with a host is replaced by Redacted whole.
func RedactSourceURL(raw string) string {
	if raw == "" {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return Redacted
	}
	out := u.Scheme + "://" + u.Host
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		out += hiddenPart
	}
	return out
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
	"totp_secret": true, "recovery_codes": true, "playlist_url": true, "epg_url": true, "playlist_ts_url": true,
	"tuner_token": true, "tuner_url": true,
	// A device's MAC signs its box in; the ids are what its lock checks.
	"mac": true, "serial": true, "device_id": true, "device_id2": true, "hw_version": true,
}

// sourceKeys are the JSON keys whose values are upstream source URLs (a
// channel's sources[].url, a VOD item's source_url): they are shown as
// RedactSourceURL does, since their credentials may sit in the path.
var sourceKeys = map[string]bool{"url": true, "source_url": true}

// RedactJSON replaces the values of secret keys in a JSON document with
// Redacted, source URLs with RedactSourceURL's form, and the credentials
// inside other URL strings, at any depth. A document
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
			if u, ok := x.(string); ok && sourceKeys[strings.ToLower(k)] {
				t[k] = RedactSourceURL(u)
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
