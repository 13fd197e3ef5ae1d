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

// fleet returns the fleet view, answering 503 when the server runs without one.
func (a *API) fleet(c *gin.Context) (FleetView, bool) {
	if a.Fleet == nil {
		a.writeError(c, api.Errorf(api.CodeUnavailable, "this server does not watch the fleet"))
		return nil, false
	}
	return a.Fleet, true
}

// handleFleet answers GET /fleet with api.FleetStatus.
func (a *API) handleFleet(c *gin.Context) {
	if f, ok := a.fleet(c); ok {
		a.render(c, http.StatusOK, f.Fleet())
	}
}

// handlePlacements answers GET /placements with api.Page[api.ChannelPlacement]
// (one page: placements live in memory).
func (a *API) handlePlacements(c *gin.Context) {
	if f, ok := a.fleet(c); ok {
		a.render(c, http.StatusOK, api.Page[api.ChannelPlacement]{Items: f.Placements()})
	}
}

// handleStreamerHistory answers GET /fleet/streamers/:id/history.
func (a *API) handleStreamerHistory(c *gin.Context) {
	f, ok := a.fleet(c)
	if !ok {
		return
	}
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
	f, ok := a.fleet(c)
	if !ok {
		return
	}
	h, err := f.ChannelHistory(c.Param("name"))
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusOK, h)
}
