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
