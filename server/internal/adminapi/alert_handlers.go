package adminapi

import (
	"context"
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// AlertDesk holds the alerts nobody has acknowledged yet (package app).
type AlertDesk interface {
	OpenAlerts() []api.Alert
	// AcknowledgeAlerts acknowledges the open alerts among ids on every
	// instance; ids no longer open are skipped.
	AcknowledgeAlerts(ctx context.Context, actor api.Actor, ids []string) error
}

// handleAlertList answers GET /alerts: the open alerts, newest first, so a
// desktop app that connects after an alert was raised still shows it.
func (a *API) handleAlertList(c *gin.Context) {
	a.render(c, http.StatusOK, a.Alerts.OpenAlerts())
}

// handleAlertAck answers POST /alerts/ack. Operators may call it: seeing to
// alerts is what the NOC's read-only role is for, and an acknowledgement
// changes nothing a viewer or a streamer sees.
func (a *API) handleAlertAck(c *gin.Context) {
	var req api.AlertAck
	if !a.bindJSON(c, &req) {
		return
	}
	if len(req.IDs) == 0 {
		a.writeError(c, &api.Error{Code: api.CodeInvalid, Message: "nothing to acknowledge",
			Fields: map[string]string{"ids": "must name at least one alert"}})
		return
	}
	if err := a.Alerts.AcknowledgeAlerts(c, currentActor(c), req.IDs); err != nil {
		a.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
