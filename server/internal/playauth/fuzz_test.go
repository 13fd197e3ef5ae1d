package playauth

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
)

// FuzzRequestFromJSON feeds the JSON form of the auth request (Flussonic's
// POST, §1.4) anything: it must not panic, and an object it accepts must
// give the same request as the same values sent as a form.
func FuzzRequestFromJSON(f *testing.F) {
	f.Add([]byte(`{"name":"first","token":"abc","ip":"10.0.0.5","proto":"hls","request_number":1,"stream_clients":3,"dvr":true,"host":{}}`))
	f.Add([]byte(`{"name":"pub?key=k1","request_type":"update_session","duration":1.5e300,"bytes":-1,"qs":"token=t&key=k"}`))
	f.Add([]byte(`{"name":null,"token":["a"],"x":{"y":1}}`))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(`{"a":`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := requestFromJSON(KindPublish, bytes.NewReader(body))
		if err != nil {
			return
		}
		if got.Kind != KindPublish || strings.IndexByte(got.Name, '?') >= 0 {
			t.Fatalf("body %q: got %+v, want kind publish and a name without a query", body, got)
		}
	})
}

// FuzzParseOriginalURI feeds nginx's X-Original-URI anything: it must not
// panic, the stream is one path segment, and a URI built from a stream and
// a token in either documented form gives them back.
func FuzzParseOriginalURI(f *testing.F) {
	f.Add("/hls/abc123/first/index.m3u8", "first", "abc123")
	f.Add("/first/index.m3u8?token=abc123&utc=1700000000", "sport hd", "t+k/=")
	f.Add("//hls//x", "hls", "%zz")
	f.Add("http://[::1", "a?b", "")
	f.Fuzz(func(t *testing.T, raw, stream, token string) {
		if s, _ := parseOriginalURI(raw); strings.IndexByte(s, '/') >= 0 {
			t.Fatalf("uri %q: stream %q is not one segment", raw, s)
		}
		if stream == "" || token == "" || strings.IndexByte(stream, '/') >= 0 || strings.IndexByte(token, '/') >= 0 {
			return // a name with a slash is not one segment in these forms
		}
		for _, uri := range []string{
			"/hls/" + url.PathEscape(token) + "/" + url.PathEscape(stream) + "/index.m3u8",
			"/" + url.PathEscape(stream) + "/index.m3u8?token=" + url.QueryEscape(token),
		} {
			if s, tok := parseOriginalURI(uri); s != stream || tok != token {
				t.Fatalf("uri %q: got stream %q token %q, want %q %q", uri, s, tok, stream, token)
			}
		}
	})
}
