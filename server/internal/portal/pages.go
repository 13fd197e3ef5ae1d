package portal

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberapi"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
	"rsc.io/qr"
)

// watchable loads the line-up of a subscriber who may watch live channels,
// or renders the page that explains why they cannot, instead of an empty
// list.
func (p *Portal) watchable(c *gin.Context) (current, subscriberview.Lineup, bool) {
	cur, l, ok := p.entitled(c)
	if ok && len(l.Channels) == 0 {
		p.problem(c, http.StatusOK, "No channels yet",
			"Your account holds no package with channels.", "Ask your provider to add a package to your account.")
		return cur, l, false
	}
	return cur, l, ok
}

// entitled loads the line-up of a subscriber who may watch, or renders the
// page that explains why they cannot. Movies and series pages use it
// directly: a package may hold movies without channels.
func (p *Portal) entitled(c *gin.Context) (current, subscriberview.Lineup, bool) {
	cur := sessionOf(c)
	switch cur.sub.Access(p.deps.Now()) {
	case subscriberview.AccessExpired:
		p.problem(c, http.StatusForbidden, "Subscription expired",
			"Your subscription expired on "+cur.sub.ExpiresAt.UTC().Format("2 January 2006")+".",
			"Renew it with your provider; the payment details are on your account page.")
		return cur, subscriberview.Lineup{}, false
	case subscriberview.AccessDisabled, subscriberview.AccessBanned:
		p.problem(c, http.StatusForbidden, "Account disabled",
			"Your account is disabled, so channels cannot be played.", "Please contact your provider.")
		return cur, subscriberview.Lineup{}, false
	}
	l, err := p.deps.Directory.Lineup(c, cur.sub)
	if err != nil {
		p.unavailable(c, "read lineup", err)
		return cur, l, false
	}
	return cur, l, true
}

type channelItem struct {
	ID              int64
	Name, Title     string
	Number          int
	Logo, Now, Next string
}

type channelGroup struct {
	ID       int64
	Name     string
	Channels []channelItem
}

type channelsData struct {
	Query  string
	Groups []channelGroup
}

func (p *Portal) handleChannels(c *gin.Context) {
	_, l, ok := p.watchable(c)
	if !ok {
		return
	}
	q := strings.TrimSpace(c.Query("q"))
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, p.deps.StreamBase)
	var shown []subscriberview.Channel
	for _, ch := range l.Channels {
		if q == "" || strings.Contains(strings.ToLower(ch.Title+" "+ch.Name), strings.ToLower(q)) {
			shown = append(shown, ch)
		}
	}
	ids := make([]string, len(shown))
	for i, ch := range shown {
		ids[i] = tvgID(ch)
	}
	guide, err := subscriberview.NowNext(c, p.deps.Guide, ids, p.deps.Now())
	if err != nil {
		p.deps.Logger.WarnContext(c, "read now and next", "error", err)
	}
	groups := map[int64]*channelGroup{}
	var order []int64
	for _, ch := range shown {
		g, ok := groups[ch.CategoryID]
		if !ok {
			name := l.CategoryName(ch.CategoryID)
			if name == "" {
				name = "Other"
			}
			g = &channelGroup{ID: ch.CategoryID, Name: name}
			groups[ch.CategoryID] = g
			order = append(order, ch.CategoryID)
		}
		item := channelItem{ID: ch.ID, Name: ch.Name, Title: title(ch), Number: ch.Number, Logo: links.Logo(ch)}
		item.Now, item.Next = nowNext(guide[tvgID(ch)])
		g.Channels = append(g.Channels, item)
	}
	data := channelsData{Query: q}
	for _, id := range order {
		data.Groups = append(data.Groups, *groups[id])
	}
	p.render(c, http.StatusOK, "channels", page{Title: "Channels", Nav: "channels", Data: data})
}

func title(ch subscriberview.Channel) string {
	if ch.Title != "" {
		return ch.Title
	}
	return ch.Name
}

func tvgID(ch subscriberview.Channel) string {
	return playlist.TVGID(playlist.Channel{ID: ch.ID, EPGID: ch.EPGChannelID})
}

// nowNext formats the first two programmes as "15:00 Title".
func nowNext(ps []playlist.Programme) (now, next string) {
	f := func(p playlist.Programme) string { return p.Start.UTC().Format("15:04") + " " + p.Title }
	if len(ps) > 0 {
		now = f(ps[0])
	}
	if len(ps) > 1 {
		next = f(ps[1])
	}
	return now, next
}

// playerData fills the player page for a live channel, a movie or an
// episode; Label names the video for screen readers, Back where to return.
type playerData struct {
	Title, Src, Now, Next string
	Label, Back, BackText string
}

func (p *Portal) handlePlayer(c *gin.Context) {
	cur, l, ok := p.watchable(c)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	ch, found := l.Channel(id)
	if !found {
		p.problem(c, http.StatusNotFound, "Channel not found",
			"This channel is not in your packages.", "Pick one from the channel list.")
		return
	}
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, p.deps.StreamBase)
	src, _ := links.Live(ch, cur.sub.Token, playlist.FormatHLS)
	guide, _ := subscriberview.NowNext(c, p.deps.Guide, []string{tvgID(ch)}, p.deps.Now())
	d := playerData{Title: title(ch), Src: src, Label: "Live video of " + title(ch), Back: "/channels",
		BackText: "Back to channels"}
	d.Now, d.Next = nowNext(guide[tvgID(ch)])
	p.render(c, http.StatusOK, "player", page{Title: d.Title, Nav: "channels", Data: d})
}

type playlistsData struct {
	M3UKodi, M3UGeneric, M3UVLC, M3UTS, XMLTV, Server string
	Tuner, TunerGuide                                 string // HDHomeRun base URL and its XMLTV; "" without one
}

// playlistLinks are sub's links to hand to a player: on its reseller's DNS
// when it has one, as get.php and player_api give them.
func (p *Portal) playlistLinks(c *gin.Context, sub subscriberview.Subscriber) playlistsData {
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, "").For(sub)
	token := sub.Token
	hls := subscriberapi.M3UURL(links, token, playlist.FormatHLS)
	return playlistsData{M3UKodi: hls, M3UGeneric: hls + "?player=generic", M3UVLC: hls + "?player=vlc",
		M3UTS: subscriberapi.M3UURL(links, token, playlist.FormatTS), XMLTV: subscriberapi.EPGURL(links, token),
		Server: links.Base}
}

func (p *Portal) handlePlaylists(c *gin.Context) {
	cur, _, ok := p.watchable(c)
	if !ok {
		return
	}
	d := p.playlistLinks(c, cur.sub)
	d.Tuner, d.TunerGuide = p.tunerLinks(c, cur.sub.ID, d.Server)
	p.render(c, http.StatusOK, "playlists", page{Title: "Playlists", Nav: "playlists", Data: d})
}

// handleQR draws the Kodi playlist link, so a phone or TV app can scan it.
// The link holds the playback token, so it is shown only when the
// playlists page is.
func (p *Portal) handleQR(c *gin.Context) {
	cur, _, ok := p.watchable(c)
	if !ok {
		return
	}
	code, err := qr.Encode(p.playlistLinks(c, cur.sub).M3UKodi, qr.M)
	if err != nil {
		c.String(http.StatusInternalServerError, "qr: %v", err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "image/png", code.PNG())
}

type accountData struct {
	Name, Status, Expires, Balance, MaxSessions, PaymentInfo, Flash string
	Packages                                                        []subscriberview.Package
	Sessions                                                        []subscriberview.Session
	Plays                                                           []api.PlaySession
	PlaysUnavailable                                                bool
	Devices                                                         []api.Device
}

func (p *Portal) handleAccount(c *gin.Context) {
	cur := sessionOf(c)
	pkgs, err := p.deps.Directory.Packages(c, cur.sub)
	if err != nil {
		p.unavailable(c, "read packages", err)
		return
	}
	sessions, err := p.deps.Sessions.List(c, cur.sub.ID)
	if err != nil {
		p.unavailable(c, "list sessions", err)
		return
	}
	d := accountData{Name: cur.sub.Name, Status: cur.sub.Access(p.deps.Now()).String(), Expires: "never",
		Balance: cur.sub.Balance, MaxSessions: "unlimited", PaymentInfo: cur.sub.PaymentInfo, Packages: pkgs,
		Sessions: sessions}
	d.Plays, d.PlaysUnavailable = p.plays(c, cur.sub.ID)
	d.Devices = p.devices(c, cur.sub.ID)
	if !cur.sub.ExpiresAt.IsZero() {
		d.Expires = cur.sub.ExpiresAt.UTC().Format("2 January 2006, 15:04 UTC")
	}
	if cur.sub.MaxSessions > 0 {
		d.MaxSessions = strconv.Itoa(cur.sub.MaxSessions)
	}
	if c.Query("reset") == "1" {
		d.Flash = "Your token was reset. Old playlist links and stream URLs no longer work; load the new links from the Playlists page."
	}
	p.render(c, http.StatusOK, "account", page{Title: "Account", Nav: "account", Data: d})
}

// plays lists what the subscriber is watching now. The page still shows
// without it when the sessions cannot be read, saying so.
func (p *Portal) plays(c *gin.Context, subscriberID int64) ([]api.PlaySession, bool) {
	if p.deps.Plays == nil {
		return nil, false
	}
	pg, err := p.deps.Plays.FindPlaySessions(c, api.PlaySessionFilter{SubscriberID: subscriberID}, api.ListParams{Limit: 50})
	if err != nil {
		p.deps.Logger.ErrorContext(c, "list play sessions", "subscriber", subscriberID, "error", err)
		return nil, true
	}
	return pg.Items, false
}

// handleResetToken gives the subscriber a new playback token (audited as
// the subscriber's own action) and shows the account page with a notice.
func (p *Portal) handleResetToken(c *gin.Context) {
	cur := sessionOf(c)
	actor := api.Actor{Kind: "subscriber", ID: cur.sub.ID, Login: cur.sub.Login, ClientIP: c.ClientIP()}
	if _, err := p.deps.Directory.ResetToken(c, actor, cur.sub.ID); err != nil {
		p.unavailable(c, fmt.Sprintf("reset token of subscriber %d", cur.sub.ID), err)
		return
	}
	p.deps.Logger.InfoContext(c, "subscriber reset token", "subscriber", cur.sub.ID)
	c.Redirect(http.StatusSeeOther, "/account?reset=1")
}
