package catalog

import (
	"testing"

	"canale/server/internal/store"
)

func TestUserAgentRules(t *testing.T) {
	sub := &Subscriber{AllowedUserAgents: []string{"kodi", "=IPTV Smarters/1.0 "}}
	for ua, want := range map[string]bool{
		"Kodi/20.2 (X11)":      true,  // substring, any case
		"IPTV Smarters/1.0 ":   true,  // exactly, trailing space included
		"IPTV Smarters/1.0":    false, // exact means exact
		"iptv smarters/1.0 ":   false, // and case counts
		"IPTV Smarters/1.0 xx": false,
		"VLC/3.0":              false,
	} {
		if got := sub.UserAgentAllowed(ua); got != want {
			t.Errorf("UserAgentAllowed(%q) = %v, want %v", ua, got, want)
		}
	}
	if !(&Subscriber{}).UserAgentAllowed("anything") {
		t.Error("no rules must allow every agent")
	}
	var s Subscriber
	fillSubscriber(&s, &store.ReadSubscriber{AllowedUserAgents: []string{"=Exact Agent", "  MAG  ", "=", " "}})
	want := []string{"=Exact Agent", "mag"}
	if len(s.AllowedUserAgents) != len(want) || s.AllowedUserAgents[0] != want[0] || s.AllowedUserAgents[1] != want[1] {
		t.Errorf("rules read as %q, want %q", s.AllowedUserAgents, want)
	}
}
