package adminapi

import "github.com/gin-gonic/gin"

// Register mounts every route of the admin API on r (the /api/v1 group).
// Routes are grouped by who may call them; every route outside "public"
// requires a bearer token, and every method other than GET and HEAD in the
// authenticated group requires a role that can write.
func (a *API) Register(r *gin.RouterGroup) {
	public := r.Group("")
	public.POST("/auth/login", a.handleLogin)

	signedIn := r.Group("", a.authenticate)
	signedIn.POST("/auth/logout", a.handleLogout) // allowed to every role: ending one's own session is not a write
	signedIn.GET("/me", a.handleMe)
	signedIn.GET("/openapi.json", a.handleOpenAPI)

	writable := signedIn.Group("", a.requireWriterForMutations)
	writable.GET("/audit", a.handleAuditList)
	writable.GET("/tls", a.handleTLSGet)
	writable.POST("/tls/letsencrypt", a.handleLetsEncrypt)
	writable.DELETE("/tls/letsencrypt", a.handleLetsEncryptDelete)

	writable.GET("/epg-sources", a.handleEPGSourceList)
	writable.POST("/epg-sources", a.handleEPGSourceCreate)
	writable.GET("/epg-sources/:id", a.handleEPGSourceGet)
	writable.PATCH("/epg-sources/:id", a.handleEPGSourceUpdate)
	writable.DELETE("/epg-sources/:id", a.handleEPGSourceDelete)
	writable.POST("/epg-sources/:id/run", a.handleEPGSourceRun)
	writable.GET("/epg-sources/:id/channels", a.handleEPGSourceChannels)
	writable.GET("/epg/programmes", a.handleProgrammes)
}
