package adminapi

import (
	"context"
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// SettingsStore reads and changes the settings and the streamer secret.
type SettingsStore interface {
	FindSettings(ctx context.Context, actor api.Actor) (api.Settings, error)
	UpdateSettings(ctx context.Context, actor api.Actor, u api.SettingsUpdate) (api.Settings, error)
	RotateStreamerSecret(ctx context.Context, actor api.Actor, version int) (api.Settings, error)
}

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
