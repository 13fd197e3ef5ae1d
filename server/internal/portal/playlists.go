package portal

import (
	"fmt"
	"net/http"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberapi"
	"canale/server/internal/subscriberview"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

type playlistsData struct {
	M3UKodi, M3UGeneric, M3UVLC, M3UTS, XMLTV, Server string
	Tuner, TunerGuide                                 string // HDHomeRun base URL and its XMLTV; "" without one
	Reset                                             bool   // the token was just reset: say these are the new links
	CopyText                                          string // the copy buttons' label, in the page's language
	// PackageTuners are a tuner per package held, shown with Tuner.
	PackageTuners []packageTuner
}

// copyLink is one link with its copy button.
type copyLink struct{ ID, URL, Copy string }

// Link pairs a link with its copy button for the "link" template.
func (d playlistsData) Link(id, url string) copyLink {
	return copyLink{ID: id, URL: url, Copy: d.CopyText}
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
	pg := p.newPage(c)
	d := p.playlistLinks(c, cur.sub)
	p.tunerLinks(c, cur.sub, &d)
	d.Reset, d.CopyText = c.Query("reset") == "1", pg.T("Copy")
	pg.Title, pg.Nav, pg.Data = pg.T("Playlists"), "playlists", d
	p.render(c, http.StatusOK, "playlists", pg)
}

// confirmData is a page that asks before doing something that cannot be
// undone, as a form that works without scripts.
type confirmData struct {
	Text, Action, Button, Cancel, CancelText string
}

// handleResetTokenForm asks before resetting: every link the subscriber
// shared stops working at once.
func (p *Portal) handleResetTokenForm(c *gin.Context) {
	pg := p.newPage(c)
	pg.Title, pg.Nav = pg.T("Reset your token?"), "account"
	pg.Data = confirmData{
		Text:   pg.T("Every playlist link and stream URL you have shared stops working at once, and you will need to load the new links into your players."),
		Action: "/account/reset-token", Button: pg.T("Reset token"), Cancel: "/account", CancelText: pg.T("Cancel"),
	}
	p.render(c, http.StatusOK, "confirm", pg)
}

// handleResetToken gives the subscriber a new playback token (audited as
// the subscriber's own action) and shows the new links on the Playlists
// page, which is what the subscriber needs next.
func (p *Portal) handleResetToken(c *gin.Context) {
	cur := sessionOf(c)
	actor := api.Actor{Kind: "subscriber", ID: cur.sub.ID, Login: cur.sub.Login, ClientIP: c.ClientIP()}
	if _, err := p.deps.Directory.ResetToken(c, actor, cur.sub.ID); err != nil {
		p.unavailable(c, fmt.Sprintf("reset token of subscriber %d", cur.sub.ID), err)
		return
	}
	p.deps.Logger.InfoContext(c, "subscriber reset token", "subscriber", cur.sub.ID)
	c.Redirect(http.StatusSeeOther, "/playlists?reset=1")
}
