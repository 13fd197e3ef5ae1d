package adminapi

import (
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// handleSettingsGet answers GET /settings (every role may read it).
func (a *API) handleSettingsGet(c *gin.Context) {
	s, err := a.Catalog.FindSettings(c, currentActor(c))
	a.reply(c, http.StatusOK, s.NoteFlag(a.ExternalURL), err)
}

func (a *API) handleSettingsUpdate(c *gin.Context) {
	var u api.SettingsUpdate
	if a.bindJSON(c, &u) {
		s, err := a.Catalog.UpdateSettings(c, currentActor(c), u)
		a.reply(c, http.StatusOK, s.NoteFlag(a.ExternalURL), err)
	}
}

func (a *API) handleSettingsRotateSecret(c *gin.Context) {
	var in api.RotateSecretRequest
	if c.Request.ContentLength != 0 && !a.bindJSON(c, &in) {
		return
	}
	s, err := a.Catalog.RotateStreamerSecret(c, currentActor(c), in.Version)
	a.reply(c, http.StatusOK, s.NoteFlag(a.ExternalURL), err)
}
