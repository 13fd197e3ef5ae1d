package adminapi

import "github.com/gin-gonic/gin"

// Register mounts every route of the admin API on r (the /api/v1 group).
// Routes are grouped by who may call them; every route outside "public"
// requires a bearer token. A token belongs to an admin or to a reseller:
// resellers reach only the "reseller" group (their own subscribers, /me and
// their credit log) and get 403 everywhere else. In both groups every method
// other than GET and HEAD requires an admin role that can write; resellers
// may write in theirs, the store scoping each write to their own data.
func (a *API) Register(r *gin.RouterGroup) {
	public := r.Group("")
	public.POST("/auth/login", a.handleLogin)

	signedIn := r.Group("", a.authenticate)
	signedIn.POST("/auth/logout", a.handleLogout) // allowed to every role: ending one's own session is not a write
	signedIn.GET("/me", a.handleMe)

	reseller := signedIn.Group("", a.requireWriterForMutations)
	reseller.GET("/me/credit-log", a.handleMyCreditLog)
	reseller.GET("/subscribers", a.handleSubscriberList)
	reseller.POST("/subscribers", a.handleSubscriberCreate)
	reseller.GET("/subscribers/:id", a.handleSubscriberGet)
	reseller.PATCH("/subscribers/:id", a.handleSubscriberUpdate)
	reseller.DELETE("/subscribers/:id", a.handleSubscriberDelete)
	reseller.POST("/subscribers/:id/reset-token", a.handleSubscriberResetToken)
	reseller.POST("/subscribers/:id/extend", a.handleSubscriberExtend)
	reseller.POST("/subscribers/:id/enable", a.handleSubscriberEnable)
	reseller.POST("/subscribers/:id/disable", a.handleSubscriberDisable)

	writable := signedIn.Group("", a.requireAdmin, a.requireWriterForMutations)
	writable.GET("/audit", a.handleAuditList)
	writable.POST("/subscribers/import", a.handleSubscriberImport)
	writable.GET("/resellers", a.handleResellerList)
	writable.POST("/resellers", a.handleResellerCreate)
	writable.GET("/resellers/:id", a.handleResellerGet)
	writable.PATCH("/resellers/:id", a.handleResellerUpdate)
	writable.DELETE("/resellers/:id", a.handleResellerDelete)
	writable.POST("/resellers/:id/credits", a.handleResellerCredits)
	writable.GET("/resellers/:id/credit-log", a.handleResellerCreditLog)
}
