package adminapi

import (
	"context"
	"net/http"
	"net/url"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// TLSManager turns HTTPS with a Let's Encrypt certificate on and off.
type TLSManager interface {
	Status(ctx context.Context) api.TLSStatus
	Enable(ctx context.Context, actor api.Actor, req api.LetsEncryptRequest) (api.TLSStatus, error)
	Disable(ctx context.Context, actor api.Actor) error
}

func (a *API) handleTLSGet(c *gin.Context) {
	a.render(c, http.StatusOK, a.TLS.Status(c))
}

// handleLetsEncrypt is the "Let's Encrypt" button: it requests the
// certificate now and answers with the outcome.
func (a *API) handleLetsEncrypt(c *gin.Context) {
	var req api.LetsEncryptRequest
	if !a.bindJSON(c, &req) {
		return
	}
	if req.Domain == "" {
		if u, err := url.Parse(a.ExternalURL); err == nil {
			req.Domain = u.Hostname()
		}
	}
	st, err := a.TLS.Enable(c, currentActor(c), req)
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.render(c, http.StatusOK, st)
}

func (a *API) handleLetsEncryptDelete(c *gin.Context) {
	if err := a.TLS.Disable(c, currentActor(c)); err != nil {
		a.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
