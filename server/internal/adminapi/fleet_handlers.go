package adminapi

import (
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// FleetView is the live state of the streamers; *fleet.Manager is one.
type FleetView interface {
	Fleet() api.FleetStatus
	Placements() []api.ChannelPlacement
	// StreamerHistory and ChannelHistory return CodeNotFound for what the fleet does not know.
	StreamerHistory(id int64) (api.StreamerHistory, error)
	ChannelHistory(name string) (api.ChannelHistory, error)
}

// handleFleet answers GET /fleet with api.FleetStatus.
func (a *API) handleFleet(c *gin.Context) {
	a.render(c, http.StatusOK, a.Fleet.Fleet())
}

// handlePlacements answers GET /placements with api.Page[api.ChannelPlacement]
// (one page: placements live in memory).
func (a *API) handlePlacements(c *gin.Context) {
	a.render(c, http.StatusOK, api.Page[api.ChannelPlacement]{Items: a.Fleet.Placements()})
}

// handleStreamerHistory answers GET /fleet/streamers/:id/history.
func (a *API) handleStreamerHistory(c *gin.Context) {
	f := a.Fleet
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	h, err := f.StreamerHistory(id)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusOK, h)
}

// handleChannelHistory answers GET /fleet/channels/:name/history.
func (a *API) handleChannelHistory(c *gin.Context) {
	f := a.Fleet
	h, err := f.ChannelHistory(c.Param("name"))
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusOK, h)
}
