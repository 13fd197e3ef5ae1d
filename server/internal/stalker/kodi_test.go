package stalker_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"canale/server/internal/flussonic/simulator"
	"canale/server/internal/store"
	"canale/server/internal/testkodi"
	"canale/shared/api"
)

// kodiChannel is a channel as Kodi's JSON-RPC lists it.
type kodiChannel struct {
	ID     int    `json:"channelid"`
	Label  string `json:"label"`
	Number int    `json:"channelnumber"`
}

// TestKodiPVRStalker runs a Stalker client someone else wrote against the
// portal: Kodi with Debian's pvr.stalker add-on, set up as a user sets it
// up (portal URL and MAC). Through Kodi's JSON-RPC it checks that Kodi
// booted the box, lists the subscriber's channels and nothing else, groups
// them by genre, shows the guide, and plays a channel: create_link, the
// balancer, the edge and its auth call allowed by the play authorization.
func TestKodiPVRStalker(t *testing.T) {
	p := newPortal(t)
	// A channel of a package alice does not have: Kodi must not show it.
	err := p.srv.Store.Seed(t.Context(), store.Seed{Categories: []string{"Premium"},
		Channels: []store.SeedChannel{{Name: "px01", Title: "Premium 01", Category: "Premium", Pipeline: "p", Number: 31,
			Sources: []store.FleetSource{{URL: "udp://239.0.0.2:1234"}}}},
		Packages: []store.SeedPackage{{Name: "Premium", Channels: []string{"px01"}}}})
	if err != nil {
		t.Fatal(err)
	}
	p.sim.SetStream(simulator.Stream{Name: "px01", Alive: true, InputKbps: 3000, OutputKbps: 3000})
	p.reload(t)
	dev := p.device(t, "alice", aliceMAC, false)
	ch01 := channelNamed(t, p, "ch01")
	p.seedGuide(t, ch01.ID)

	// pvr.stalker 20.3 keeps five portals, settings suffixed _0 to _4.
	k := testkodi.Start(t, testkodi.Options{Addon: "pvr.stalker", Settings: map[string]string{
		"active_portal": "0", "mac_0": aliceMAC, "server_0": p.srv.URL + "/c/", "time_zone_0": "UTC",
		"connection_timeout": "2"}}) // the index of 10 s
	ctx := t.Context()

	all := kodiLineup(t, k)

	got, err := p.srv.Store.FindDeviceByID(ctx, dev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Model != "MAG250" || got.LastSeenAt == nil {
		t.Errorf("device after Kodi's boot = %+v, want the model it reports and a last-seen time", got)
	}

	// Genres are Kodi's channel groups, with the genre's channels in each.
	var groups struct {
		Groups []struct {
			ID    int    `json:"channelgroupid"`
			Label string `json:"label"`
		} `json:"channelgroups"`
	}
	if err := k.Call(ctx, "PVR.GetChannelGroups", map[string]any{"channeltype": "tv"}, &groups); err != nil {
		t.Fatal(err)
	}
	members := map[string]int{}
	for _, g := range groups.Groups {
		var in struct {
			Channels []kodiChannel `json:"channels"`
		}
		if err := k.Call(ctx, "PVR.GetChannels", map[string]any{"channelgroupid": g.ID}, &in); err != nil {
			t.Fatal(err)
		}
		members[g.Label] = len(in.Channels)
	}
	if members["News"] != channels/2 || members["Sport"] != channels/2 || members["Premium"] != 0 {
		t.Errorf("Kodi's groups hold %v, want News and Sport with %d channels each and no Premium", members, channels/2)
	}

	// The guide: Kodi reads it with itv/get_epg_info.
	kodi01 := all[slices.IndexFunc(all, func(c kodiChannel) bool { return c.Label == "Channel 01" })]
	waitKodiShow0(t, k, kodi01.ID)

	// Play: Kodi calls create_link and opens the URL; the edge asks Canale.
	if err := k.Call(ctx, "Player.Open", map[string]any{"item": map[string]any{"channelid": kodi01.ID}}, nil); err != nil {
		t.Fatal(err)
	}
	var session simulator.Session
	waitKodi(t, k, "a session for ch01 on the edge", func() bool {
		for _, s := range p.sim.Sessions() {
			if s.Name == "ch01" && s.Bytes > 0 {
				session = s
				return true
			}
		}
		return false
	})
	if !strings.HasPrefix(session.Token, "m1.") {
		t.Errorf("edge session token %q, want a link minted by create_link", session.Token)
	}
	if !strings.Contains(k.LogLines("streamUrl="), p.srv.URL+"/ch01/mpegts?token=m1.") {
		t.Errorf("Kodi did not take the stream URL from create_link:\n%s", k.LogLines("pvr.stalker"))
	}
	waitKodi(t, k, "video player on Channel 01", func() bool {
		var players []struct {
			ID   int    `json:"playerid"`
			Type string `json:"type"`
		}
		var item struct {
			Item struct {
				Label string `json:"label"`
				Type  string `json:"type"`
			} `json:"item"`
		}
		return k.Call(ctx, "Player.GetActivePlayers", nil, &players) == nil && len(players) == 1 && players[0].Type == "video" &&
			k.Call(ctx, "Player.GetItem", map[string]any{"playerid": players[0].ID}, &item) == nil &&
			item.Item.Type == "channel" && item.Item.Label == "Channel 01"
	})
}

// kodiLineup waits until Kodi lists the test's channels, checks that it
// lists alice's channels alone, each under its number, and returns them.
func kodiLineup(t *testing.T, k *testkodi.Kodi) []kodiChannel {
	t.Helper()
	var all struct {
		Channels []kodiChannel `json:"channels"`
	}
	waitKodi(t, k, "the channel list", func() bool {
		err := k.Call(t.Context(), "PVR.GetChannels", map[string]any{"channelgroupid": "alltv", "properties": []string{"channelnumber"}}, &all)
		return err == nil && len(all.Channels) >= channels
	})
	var labels, want []string
	for _, ch := range all.Channels {
		labels = append(labels, fmt.Sprintf("%d %s", ch.Number, ch.Label))
	}
	for i := 1; i <= channels; i++ {
		want = append(want, fmt.Sprintf("%d Channel %02d", i, i))
	}
	slices.Sort(labels)
	slices.Sort(want)
	if !slices.Equal(labels, want) {
		t.Fatalf("Kodi lists %q, want alice's %d channels %q", labels, channels, want)
	}
	return all.Channels
}

// waitKodiShow0 waits until Kodi's guide of the channel with Kodi's id
// holds seedGuide's programme on now, with its plain-text plot.
func waitKodiShow0(t *testing.T, k *testkodi.Kodi, id int) {
	t.Helper()
	type broadcast struct {
		Title string `json:"title"`
		Plot  string `json:"plot"`
	}
	var epg struct {
		Broadcasts []broadcast `json:"broadcasts"`
	}
	waitKodi(t, k, "Show 0 in the guide", func() bool {
		err := k.Call(t.Context(), "PVR.GetBroadcasts", map[string]any{"channelid": id, "properties": []string{"title", "plot"}}, &epg)
		return err == nil && slices.Contains(epg.Broadcasts, broadcast{Title: "Show 0", Plot: "plain text, not base64"})
	})
}

// channelNamed finds a channel by its stream name.
func channelNamed(t *testing.T, p *portal, name string) api.Channel {
	t.Helper()
	page, err := p.srv.Store.FindChannels(t.Context(), api.ChannelFilter{}, api.ListParams{Query: name})
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range page.Items {
		if ch.Name == name {
			return ch
		}
	}
	t.Fatalf("no channel %s", name)
	return api.Channel{}
}

// waitKodi polls until ok holds, failing after a minute with Kodi's log.
func waitKodi(t *testing.T, k *testkodi.Kodi, what string, ok func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	for !ok() {
		select {
		case <-ctx.Done():
			t.Fatalf("Kodi: no %s within a minute", what)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// TestKodiIPTVSimple: the same subscriber through Kodi's other route to
// Canale, Debian's pvr.iptvsimple add-on reading get.php's M3U and
// xmltv.php's guide, sees the same channels, the same guide and plays
// through the same edge, with the subscriber's own token.
func TestKodiIPTVSimple(t *testing.T) {
	p := newPortal(t)
	ch01 := channelNamed(t, p, "ch01")
	p.seedGuide(t, ch01.ID)
	creds := "username=alice&password=" + password
	k := testkodi.Start(t, testkodi.Options{Addon: "pvr.iptvsimple", Settings: map[string]string{
		"m3uPathType": "1", "m3uUrl": p.srv.URL + "/get.php?" + creds + "&type=m3u_plus&output=ts", "m3uCache": "false",
		"epgPathType": "1", "epgUrl": p.srv.URL + "/xmltv.php?" + creds, "epgCache": "false"}})
	all := kodiLineup(t, k)
	kodi01 := all[slices.IndexFunc(all, func(c kodiChannel) bool { return c.Label == "Channel 01" })]
	waitKodiShow0(t, k, kodi01.ID)
	if err := k.Call(t.Context(), "Player.Open", map[string]any{"item": map[string]any{"channelid": kodi01.ID}}, nil); err != nil {
		t.Fatal(err)
	}
	waitKodi(t, k, "a session for ch01 on the edge", func() bool {
		return slices.ContainsFunc(p.sim.Sessions(), func(s simulator.Session) bool {
			return s.Name == "ch01" && s.Bytes > 0 && s.Token == "tok-alice"
		})
	})
}
