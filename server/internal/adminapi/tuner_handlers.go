package adminapi

import (
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

var tunerDocs = []routeDoc{
	{Method: "POST", Path: "/subscribers/:id/reset-tuner", Summary: "Give the subscriber's HDHomeRun tuner a new URL (tuner_url); media servers that added the old one lose the tuner, players keep working", Response: api.Subscriber{}},
}

// handleSubscriberResetTuner answers POST /subscribers/{id}/reset-tuner
// with the subscriber and its new tuner_url.
func (a *API) handleSubscriberResetTuner(c *gin.Context) {
	a.subscriberAction(c, func(actor api.Actor, id int64) (api.Subscriber, error) {
		return a.Subscribers.ResetTunerToken(c.Request.Context(), actor, id)
	})
}
