package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Plain", "http://epg.example.com/guide.xml", "http://epg.example.com/guide.xml"},
		{"UserInfo", "http://u:secret@h/x", "http://u:REDACTED@h/x"},
		{"Query", "http://h/xmltv.php?username=u&password=secret", "http://h/xmltv.php?password=REDACTED&username=REDACTED"},
		{"NotAURL", "guide.xml?password=secret", "guide.xml?password=secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RedactURL(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRedactJSON(t *testing.T) {
	in := json.RawMessage(`{"login":"v","token":"tok-secret","nested":[{"api_key":"k-secret","url":"http://a:p-secret@h/"}]}`)
	got := string(RedactJSON(in))
	for _, secret := range []string{"tok-secret", "k-secret", "p-secret"} {
		if strings.Contains(got, secret) {
			t.Errorf("got %s, still shows %s", got, secret)
		}
	}
	if !strings.Contains(got, `"login":"v"`) {
		t.Errorf("got %s, want the login kept", got)
	}
	if RedactJSON(json.RawMessage(`{broken`)) != nil {
		t.Error("a document that does not parse must be dropped")
	}
}

func TestRedactSourceURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Multicast", "udp://239.0.0.1:1234", "udp://239.0.0.1:1234"},
		{"HostOnly", "http://h:8080/", "http://h:8080"},
		{"XtreamPath", "http://h:8080/live/user/secret/1.ts", "http://h:8080/…"},
		{"UserInfo", "rtmp://u:secret@h/app", "rtmp://h/…"},
		{"UserNoPath", "http://secret@h", "http://h/…"},
		{"Query", "http://h?token=secret", "http://h/…"},
		{"Empty", "", ""},
		{"NotAURL", "h/live/user/secret/1.ts", Redacted},
		{"Opaque", "http:secret", Redacted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RedactSourceURL(tt.in); got != tt.want {
				t.Errorf("RedactSourceURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestChannelAndVODWithoutSecrets(t *testing.T) {
	ch := Channel{Sources: []Source{{URL: "http://h/live/u/secret/1.ts", Priority: 3}}}
	vod := VOD{SourceURL: "http://h/movie/u/secret/1.mp4"}
	for _, v := range []any{ch, []Channel{ch}, Page[Channel]{Items: []Channel{ch}}, vod, []VOD{vod}, Page[VOD]{Items: []VOD{vod}}} {
		b, _ := json.Marshal(WithoutSecrets(v))
		if strings.Contains(string(b), "secret") || !strings.Contains(string(b), "http://h/…") {
			t.Errorf("WithoutSecrets(%T) = %s; want the source shown as http://h/…", v, b)
		}
	}
	if ch.Sources[0].URL != "http://h/live/u/secret/1.ts" {
		t.Errorf("WithoutSecrets changed the caller's channel: %q", ch.Sources[0].URL)
	}
}
