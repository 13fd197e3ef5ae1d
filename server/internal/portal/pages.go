package portal

import (
	"fmt"
	"net/http"
	"strconv"

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

func title(ch subscriberview.Channel) string {
	if ch.Title != "" {
		return ch.Title
	}
	return ch.Name
}

func tvgID(ch subscriberview.Channel) string {
	return playlist.TVGID(playlist.Channel{ID: ch.ID, EPGID: ch.EPGChannelID})
}

type playlistsData struct {
	M3UKodi, M3UGeneric, M3UVLC, M3UTS, XMLTV, Server string
	Tuner, TunerGuide                                 string // HDHomeRun base URL and its XMLTV; "" without one
}

func (p *Portal) playlistLinks(c *gin.Context, token string) playlistsData {
	links := subscriberview.LinksFor(c.Request, p.deps.ExternalURL, "")
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
	d := p.playlistLinks(c, cur.sub.Token)
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
	code, err := qr.Encode(p.playlistLinks(c, cur.sub.Token).M3UKodi, qr.M)
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
