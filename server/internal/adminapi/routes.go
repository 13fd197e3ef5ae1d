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
	signedIn.GET("/events", a.handleEvents) // websocket of api.Event

	writable := signedIn.Group("", a.requireWriterForMutations)
	writable.GET("/audit", a.handleAuditList)
}
