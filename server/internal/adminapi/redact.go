package adminapi

import (
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// render answers v with status. Every answer of a signed-in route goes
// through here, so a role that may not read secrets (the operator) gets each
// value without them, whichever route it reads.
func (a *API) render(c *gin.Context, status int, v any) {
	if hidesSecrets(c) {
		v = api.WithoutSecrets(v)
	}
	c.JSON(status, v)
}

// hidesSecrets reports whether the principal must not read secrets.
// Resellers read their own subscribers' tokens: they hand them out.
func hidesSecrets(c *gin.Context) bool {
	if _, ok := currentReseller(c); ok {
		return false
	}
	return !currentAdmin(c).Role.SeesSecrets()
}
