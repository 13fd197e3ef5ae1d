package portal

import (
	"net/http"
	"strconv"
	"time"

	"canale/server/internal/playauth"

	"github.com/gin-gonic/gin"
)

// handlePlayerGaveUp ends the play sessions of a player that showed a
// fatal error (player.js posts it): the edge admitted the stream's first
// request, but nothing is being watched, so the account page must not
// list it as "Watching now". Only this browser's sessions of that channel
// opened since its player page loaded are ended: the same subscriber,
// address and user agent, so another device or an earlier tab that plays
// is left alone.
func (p *Portal) handlePlayerGaveUp(c *gin.Context) {
	cur := sessionOf(c)
	channel, err1 := strconv.ParseInt(c.PostForm("channel"), 10, 64)
	since, err2 := strconv.ParseInt(c.PostForm("since"), 10, 64)
	if err1 != nil || err2 != nil || channel <= 0 {
		c.String(http.StatusBadRequest, "channel and since must be numbers")
		return
	}
	if p.deps.Plays == nil {
		c.Status(http.StatusNoContent)
		return
	}
	g := playauth.PlayerGaveUp{SubscriberID: cur.sub.ID, ChannelID: channel, IP: c.ClientIP(),
		UserAgent: c.Request.UserAgent(), Since: time.UnixMilli(since)}
	n, err := p.deps.Plays.EndGaveUpSessions(c, g)
	if err != nil {
		p.deps.Logger.ErrorContext(c, "end sessions of a failed play", "subscriber", cur.sub.ID, "channel", channel, "error", err)
		c.Status(http.StatusServiceUnavailable)
		return
	}
	p.deps.Logger.DebugContext(c, "ended sessions of a failed play", "subscriber", cur.sub.ID, "channel", channel, "ended", n)
	c.Status(http.StatusNoContent)
}
