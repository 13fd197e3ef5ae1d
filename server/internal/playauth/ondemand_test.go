package playauth_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"canale/server/internal/playauth"
)

// onDemandSeed adds movies and series to the conformance seed: film and
// the series show in package basic (held by every subscriber but nopkg),
// hidden and the series other in premium (held by nobody), off disabled.
const onDemandSeed = `
INSERT INTO packages (id, name) VALUES (3, 'premium');
INSERT INTO vod (id, title, stream_name, enabled) VALUES
  (9001, 'Film', 'vod/films/film.mp4', true), (9002, 'Hidden', 'vod/films/hidden.mp4', true),
  (9003, 'Off', 'vod/films/off.mp4', false);
INSERT INTO package_vod (package_id, vod_id) VALUES (1, 9001), (1, 9003), (3, 9002);
INSERT INTO series (id, title) VALUES (1, 'Show'), (2, 'Other');
INSERT INTO series_seasons (id, series_id, season_number) VALUES (1, 1, 1), (2, 2, 1);
INSERT INTO series_episodes (id, season_id, episode_num, stream_name) VALUES
  (9101, 1, 1, 'vod/show/s01e01.mp4'), (9102, 2, 1, 'vod/other/s01e01.mp4');
INSERT INTO package_series (package_id, series_id) VALUES (1, 1), (3, 2);
`

const (
	film    = "vod/films/film.mp4"
	episode = "vod/show/s01e01.mp4"
)

func startOnDemand(tb testing.TB) *instance {
	tb.Helper()
	in := startInstance(tb, "")
	in.exec(tb, seed+onDemandSeed)
	in.reload(tb)
	return in
}

// mint is a Stalker create_link token of subscriber sub for a movie or
// episode (id, file) at 192.0.2.7, the address play asks for by default.
func mint(sub, id int64, file string, expires time.Time) string {
	return playauth.MintLink(secret, playauth.MintedLink{SubscriberID: sub, DeviceID: 1, ChannelID: -id,
		Expires: expires, File: file}, "192.0.2.7")
}

// TestOnDemandPlay: a streamer's VOD location asks about a movie's or an
// episode's file by its stream name. With the subscriber's token (an
// Xtream app's /movie/ and /series/ redirect) or a Stalker link minted for
// that file, the file is allowed when it is enabled and in the
// subscriber's packages, by the same rules as the line-ups; every other
// case is refused with its reason, and a minted link only opens its own
// file, from its own address, first used before it expires.
func TestOnDemandPlay(t *testing.T) {
	in := startOnDemand(t)
	soon := time.Now().Add(30 * time.Second)
	filmLink := mint(1, 9001, film, soon)
	tests := []struct {
		name   string
		q      url.Values
		reason string // "" allows
	}{
		{"MovieBySubscriberToken", url.Values{"name": {film}}, ""},
		{"EpisodeBySubscriberToken", url.Values{"name": {episode}}, ""},
		{"MovieAsHLS", url.Values{"name": {film}, "proto": {"hls"}}, ""},
		{"MovieNotInPackages", url.Values{"name": {"vod/films/hidden.mp4"}}, "not_in_package"},
		{"EpisodeNotInPackages", url.Values{"name": {"vod/other/s01e01.mp4"}}, "not_in_package"},
		{"MovieDisabled", url.Values{"name": {"vod/films/off.mp4"}}, "channel_disabled"},
		{"NoPackages", url.Values{"name": {film}, "token": {"tok-nopkg"}}, "not_in_package"},
		{"Expired", url.Values{"name": {film}, "token": {"tok-expired"}}, "expired"},
		{"Banned", url.Values{"name": {film}, "token": {"tok-banned"}}, "banned"},
		{"IPNotAllowed", url.Values{"name": {film}, "token": {"tok-iponly"}, "ip": {"198.51.100.1"}}, "ip_not_allowed"},
		{"UserAgentNotAllowed", url.Values{"name": {film}, "token": {"tok-uaonly"}, "user_agent": {"curl/8"}}, "user_agent_not_allowed"},
		{"NoArchive", url.Values{"name": {film}, "dvr": {"true"}}, "dvr_not_allowed"},
		{"UnknownFile", url.Values{"name": {"vod/films/nosuch.mp4"}}, "unknown_channel"},

		{"MintedMovie", url.Values{"name": {film}, "token": {filmLink}}, ""},
		{"MintedEpisode", url.Values{"name": {episode}, "token": {mint(1, 9101, episode, soon)}}, ""},
		{"MintedFromAnotherAddress", url.Values{"name": {film}, "token": {filmLink}, "ip": {"198.51.100.9"}}, "unknown_token"},
		{"MintedForAnotherFile", url.Values{"name": {episode}, "token": {filmLink}}, "unknown_token"},
		{"MintedForAnotherFileOfItsID", url.Values{"name": {episode}, "token": {mint(1, 9001, episode, soon)}}, "unknown_token"},
		{"MintedMovieOnLiveChannel", url.Values{"name": {"ch1"}, "token": {filmLink}}, "unknown_token"},
		{"MintedLiveChannelOnMovie", url.Values{"name": {film}, "token": {playauth.MintLink(secret,
			playauth.MintedLink{SubscriberID: 1, DeviceID: 1, ChannelID: 1, Expires: soon}, "192.0.2.7")}}, "unknown_token"},
		{"MintedAfterExpiry", url.Values{"name": {film}, "token": {mint(1, 9001, film, time.Now().Add(-time.Second))}}, "unknown_token"},
		{"MintedNotInPackages", url.Values{"name": {"vod/films/hidden.mp4"}, "token": {mint(1, 9002, "vod/films/hidden.mp4", soon)}}, "not_in_package"},
		{"MintedForDisabledSubscriber", url.Values{"name": {film}, "token": {mint(3, 9001, film, soon)}}, "disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, play(t, in.url, tt.q), tt.reason, "1") })
	}
}

// TestOnDemandLinkExpiry: a minted file link admitted before its expiry
// keeps its session after it (the streamer re-asks with the same URL);
// after the expiry it opens no new session, from its address or any.
func TestOnDemandLinkExpiry(t *testing.T) {
	in := startOnDemand(t)
	expires := time.Now().Add(time.Second).Truncate(time.Second).Add(time.Second) // 1–2 s ahead, on a second
	link := mint(1, 9001, film, expires)
	first := url.Values{"name": {film}, "token": {link}, "session_id": {"vod-exp-1"}}
	if resp := play(t, in.url, first); resp.StatusCode != http.StatusOK {
		t.Fatalf("first use in time: status %d (%s)", resp.StatusCode, reasonOf(t, resp))
	}
	time.Sleep(time.Until(expires) + 100*time.Millisecond)
	update := url.Values{"name": {film}, "token": {link}, "session_id": {"vod-exp-1"}, "request_type": {"update_session"},
		"request_number": {"1"}}
	if resp := play(t, in.url, update); resp.StatusCode != http.StatusOK {
		t.Fatalf("the admitted session after expiry: status %d (%s), want 200", resp.StatusCode, reasonOf(t, resp))
	}
	again := play(t, in.url, url.Values{"name": {film}, "token": {link}, "session_id": {"vod-exp-2"}})
	if again.StatusCode != http.StatusForbidden || reasonOf(t, again) != "unknown_token" {
		t.Fatalf("a new session on an expired link: status %d, want 403 unknown_token", again.StatusCode)
	}
}

// TestOnDemandSessionLimit: a movie counts against the subscriber's
// session limit with their live plays, shows as a live session of its
// file, and an administrator's kill ends it.
func TestOnDemandSessionLimit(t *testing.T) {
	in := startOnDemand(t)
	live := url.Values{"token": {"tok-limited"}, "session_id": {"lim-live"}}
	if resp := play(t, in.url, live); resp.StatusCode != http.StatusOK {
		t.Fatalf("live session: status %d", resp.StatusCode)
	}
	movie := url.Values{"name": {film}, "token": {mint(9, 9001, film, time.Now().Add(30*time.Second))},
		"session_id": {"lim-movie"}}
	refused := play(t, in.url, movie)
	if refused.StatusCode != http.StatusForbidden || reasonOf(t, refused) != "too_many_sessions" {
		t.Fatalf("a movie beside a live play at a limit of 1: status %d, want 403 too_many_sessions", refused.StatusCode)
	}
	xc := play(t, in.url, url.Values{"name": {episode}, "token": {"tok-limited"}, "session_id": {"lim-xc"}})
	if xc.StatusCode != http.StatusForbidden || reasonOf(t, xc) != "too_many_sessions" {
		t.Fatalf("an XC episode beside a live play at a limit of 1: status %d, want 403 too_many_sessions", xc.StatusCode)
	}

	ctx := context.Background()
	kill := func(want string) {
		t.Helper()
		page, err := in.app.PlayAuth().FindPlaySessions(ctx, apiFilter(9), apiList())
		if err != nil || len(page.Items) != 1 || page.Items[0].SessionID != want {
			t.Fatalf("live sessions of subscriber 9: %+v, %v; want %s only", page.Items, err, want)
		}
		if _, err := in.app.PlayAuth().KillPlaySession(ctx, adminActor(), page.Items[0].ID); err != nil {
			t.Fatalf("kill %s: %v", want, err)
		}
	}
	kill("lim-live")
	if resp := play(t, in.url, movie); resp.StatusCode != http.StatusOK {
		t.Fatalf("the movie once the live play was killed: status %d (%s)", resp.StatusCode, reasonOf(t, resp))
	}
	page, err := in.app.PlayAuth().FindPlaySessions(ctx, apiFilter(9), apiList())
	if err != nil || len(page.Items) != 1 || page.Items[0].Name != film || page.Items[0].ChannelID != nil {
		t.Fatalf("live sessions of subscriber 9: %+v, %v; want the movie's file", page.Items, err)
	}
	kill("lim-movie")
	movie.Set("request_type", "update_session")
	movie.Set("request_number", "1")
	killed := play(t, in.url, movie)
	if killed.StatusCode != http.StatusForbidden || reasonOf(t, killed) != "session_killed" {
		t.Fatalf("the movie after its kill: status %d, want 403 session_killed", killed.StatusCode)
	}
}
