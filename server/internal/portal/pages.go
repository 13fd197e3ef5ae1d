package portal

import (
	"net/http"

	"canale/server/internal/playlist"
	"canale/server/internal/subscriberview"

	"github.com/gin-gonic/gin"
	"rsc.io/qr"
)

// watchable loads the line-up of a subscriber who may watch live channels,
// or renders the page that explains why they cannot, instead of an empty
// list.
func (p *Portal) watchable(c *gin.Context) (current, subscriberview.Lineup, bool) {
	cur, l, ok := p.entitled(c)
	if ok && len(l.Channels) == 0 {
		pg := p.newPage(c)
		p.problem(c, http.StatusOK, pg.T("No channels yet"),
			pg.T("Your account holds no package with channels."), pg.T("Ask your provider to add a package to your account."))
		return cur, l, false
	}
	return cur, l, ok
}

// entitled loads the line-up of a subscriber who may watch, or renders the
// page that explains why they cannot. Movies and series pages use it
// directly: a package may hold movies without channels.
func (p *Portal) entitled(c *gin.Context) (current, subscriberview.Lineup, bool) {
	cur := sessionOf(c)
	pg := p.newPage(c)
	switch cur.sub.Access(p.deps.Now()) {
	case subscriberview.AccessExpired:
		p.problem(c, http.StatusForbidden, pg.T("Subscription expired"),
			pg.T("Your subscription expired on %s.", cur.sub.ExpiresAt.UTC().Format(langOf(c).Date)),
			pg.T("Renew it with your provider; the payment details are on your account page."))
		return cur, subscriberview.Lineup{}, false
	case subscriberview.AccessDisabled, subscriberview.AccessBanned:
		p.problem(c, http.StatusForbidden, pg.T("Account disabled"),
			pg.T("Your account is disabled, so channels cannot be played."), pg.T("Please contact your provider."))
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
