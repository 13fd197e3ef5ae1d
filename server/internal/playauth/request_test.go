package playauth

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzRequestFromQuery holds the hand-written query reader to what
// url.ParseQuery followed by the same parameter rules gives.
func FuzzRequestFromQuery(f *testing.F) {
	for _, s := range []string{
		"name=ch1&token=abc&ip=10.0.0.1&proto=hls&request_type=update_session&session_id=s1&request_number=3",
		"token=&token=second&name=a%2Fb&user_agent=curl%252F7.68.0&dvr=true&bytes=12.5",
		"qs=token%3Dx%26key%3Dk&name=stream%3Ftoken%3Dy",
		"a;b=c&token=t&%zz=1&name=%zz&name=ok&&=&stream_clients=1e3",
		"referer=http%3A%2F%2Fexample.com%2F&host=edge&type=hls&media_request=x&duration=9&total_clients=+4",
		// Flussonic's auth GET (specs/flussonic.md §1.3) as a streamer sends it.
		"name=first&token=abc123&ip=10.0.0.5&proto=hls&request_type=new_session&request_number=1&session_id=2a5f&stream_clients=3&total_clients=10&qs=token%3Dabc123%26utc%3D1700000000&dvr=false&user_agent=VLC%2F3.0.18&referer=http%253A%252F%252Fx",
		"&&=&name&=x&request_number=-9223372036854775809&bytes=NaN&duration=+Inf&name=a%3F%3Fb",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := requestFromQuery(KindPlay, raw)
		v, _ := url.ParseQuery(raw)
		if want := requestFromValues(KindPlay, v); got != want {
			t.Fatalf("requestFromQuery(%q):\n got %+v\nwant %+v", raw, got, want)
		}
		if strings.IndexByte(got.Name, '?') >= 0 {
			t.Fatalf("requestFromQuery(%q): name %q keeps a query", raw, got.Name)
		}
	})
}
