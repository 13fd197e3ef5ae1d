package adminapi

import (
	"canale/server/internal/eventhub"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// handleEvents upgrades GET /events to the websocket of api.Event for the
// signed-in admin (authenticate has checked the bearer token of the upgrade
// request). Browsers on another origin are refused before the upgrade.
func (a *API) handleEvents(c *gin.Context) {
	if !eventhub.SameOrigin(c.Request) {
		a.writeError(c, api.Errorf(api.CodeForbidden, "origin %q may not open the event stream", c.GetHeader("Origin")))
		return
	}
	a.Events.Serve(c.Writer, c.Request, eventhub.SocketOwner{
		AdminID:   currentAdmin(c).ID,
		TokenHash: currentTokenHash(c),
		Expires:   currentTokenExpiry(c),
	})
}
