package stalker

import (
	"encoding/json"
	"math"
	"net/url"
	"strings"
	"testing"
)

// TestAppendJSONStringMatchesTheEncoder: the hand-written answers quote
// strings exactly as the encoder of every other answer does.
func TestAppendJSONStringMatchesTheEncoder(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote\back`, "tab\tnl\ncr\r\b\f\x01\x1f", "<a&b>", "héllo ✓",
		"bad\xffutf8", "line\u2028sep\u2029", "ffmpeg https://tv.example.net/ch/mpegts?token=m1.1.2.3.4.sig"} {
		var sb strings.Builder
		enc := json.NewEncoder(&sb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got, want := string(appendJSONString(nil, s)), strings.TrimSuffix(sb.String(), "\n"); got != want {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

// TestQueryValueMatchesParseQuery: the in-place query scan reads what
// url.ParseQuery would (first value, unescaped, bad escapes absent).
func TestQueryValueMatchesParseQuery(t *testing.T) {
	raw := "type=itv&action=create_link&cmd=ffmpeg%20http%3A%2F%2Flocalhost%2Fch%2F10_&genre=*&a+b=c+d&bad=%zz&p=1&p=2&empty="
	parsed, _ := url.ParseQuery(raw)
	for _, k := range []string{"type", "action", "cmd", "genre", "a b", "bad", "p", "empty", "missing"} {
		got, ok := queryValue(raw, k)
		_, want := parsed[k]
		if ok != want || got != parsed.Get(k) {
			t.Errorf("%s: got %q %v, want %q %v", k, got, ok, parsed.Get(k), want)
		}
	}
}

// TestAppendQueryMatchesParseQuery: the decoded pairs are ParseQuery's,
// in order.
func TestAppendQueryMatchesParseQuery(t *testing.T) {
	raw := "type=itv&cmd=ffmpeg%20http%3A%2F%2Flocalhost%2Fch%2F10_&a+b=c+d&bad=%zz&p=1&p=2&empty=&novalue&cut=%4&hex=%4a%4B&pct=100%25"
	parsed, _ := url.ParseQuery(raw)
	got := map[string][]string{}
	for _, p := range appendQuery(nil, raw) {
		if d := string(p.appendDecoded(nil)); d != p.decoded() {
			t.Errorf("%s: appendDecoded %q, decoded %q", p.key, d, p.decoded())
		}
		got[p.key] = append(got[p.key], p.decoded())
	}
	if len(got) != len(parsed) {
		t.Errorf("got %v, want %v", got, parsed)
	}
	for k, vs := range parsed {
		if strings.Join(got[k], "|") != strings.Join(vs, "|") {
			t.Errorf("%s: got %q, want %q", k, got[k], vs)
		}
	}
}

// TestLinkChannel: a cmd's channel id, read from text or bytes alike, is
// the digits after the first "/ch/" that has any, as strconv reads them.
func TestLinkChannel(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want int64
	}{
		{"ffmpeg http://localhost/ch/1001_", 1001},
		{"ffmpeg http://localhost/ch/1001", 1001},
		{"/ch/x/ch/7_", 7},
		{"http://h/ch/", 0},
		{"no channel", 0},
		{"/ch/9223372036854775807", math.MaxInt64},
		{"/ch/99999999999999999999_", math.MaxInt64},
		{"/ch/0012", 12},
	} {
		if got := linkChannel(c.cmd); got != c.want {
			t.Errorf("linkChannel(%q) = %d, want %d", c.cmd, got, c.want)
		}
		if got := linkChannel([]byte(c.cmd)); got != c.want {
			t.Errorf("linkChannel([]byte(%q)) = %d, want %d", c.cmd, got, c.want)
		}
	}
}
