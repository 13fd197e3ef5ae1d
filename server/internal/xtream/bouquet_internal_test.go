package xtream

import "testing"

func TestEscapeServicePath(t *testing.T) {
	for in, want := range map[string]string{
		"http://h:8080/live/a/b/1.ts": "http%3a//h%3a8080/live/a/b/1.ts",
		"http://h/live/a%20b/p/1.ts":  "http%3a//h/live/a%2520b/p/1.ts",
		"http://h/x\r\n#NAME evil":    "http%3a//h/x%0d%0a#NAME evil",
	} {
		if got := escapeServicePath(in); got != want {
			t.Errorf("escapeServicePath(%q) = %q, want %q", in, got, want)
		}
	}
}
