package adminapi

import (
	"canale/server/internal/httpserver"

	"github.com/gin-gonic/gin"
)

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
	// The API's description is no secret, and billing systems read it before they have a token.
	public.GET("/openapi.json", a.handleOpenAPI)

	// Bodies beyond the engine's small default only once signed in.
	signedIn := r.Group("", a.authenticate, httpserver.BodyLimit(MaxJSONBytes, false))
	signedIn.POST("/auth/logout", a.handleLogout) // allowed to every role: ending one's own session is not a write
	signedIn.GET("/me", a.handleMe)
	signedIn.POST("/me/password", a.handleMyPassword) // every role and resellers: one's own password only

	// Every staff account, operators included, manages its own password and
	// second factor: changing one's own sign-in is not a write of the catalog.
	self := signedIn.Group("", a.requireAdmin)
	self.POST("/me/totp", a.handleMyTOTPBegin)
	self.POST("/me/totp/confirm", a.handleMyTOTPConfirm)
	self.DELETE("/me/totp", a.handleMyTOTPDelete)

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
	reseller.GET("/me/rules", a.handleMyRules)
	reseller.GET("/me/activity", a.handleMyActivity)
	reseller.POST("/me/trials", a.handleMyTrial)
	reseller.GET("/me/sub-resellers", a.handleSubResellerList)
	reseller.POST("/me/sub-resellers", a.handleSubResellerCreate)
	reseller.GET("/me/sub-resellers/:id", a.handleSubResellerGet)
	reseller.GET("/me/sub-resellers/:id/subscribers", a.handleSubResellerLines)
	reseller.PUT("/me/sub-resellers/:id/packages", a.handleSubResellerPackages)
	reseller.POST("/me/sub-resellers/:id/credits", a.handleSubResellerCredits)
	reseller.POST("/subscribers/:id/reset-tuner", a.handleSubscriberResetTuner)

	alerts := signedIn.Group("", a.requireAdmin, a.requireService(a.Alerts != nil, "alerts")) // operators too: see handleAlertAck
	alerts.GET("/alerts", a.handleAlertList)
	alerts.POST("/alerts/ack", a.handleAlertAck)

	writable := signedIn.Group("", a.requireAdmin, a.requireWriterForMutations)
	writable.GET("/audit", a.handleAuditList)
	writable.GET("/events", a.handleEvents) // websocket of api.Event, staff only
	writable.GET("/tls", a.handleTLSGet)
	writable.POST("/tls/letsencrypt", a.handleLetsEncrypt)
	writable.DELETE("/tls/letsencrypt", a.handleLetsEncryptDelete)

	writable.GET("/admins", a.handleAdminList)
	writable.POST("/admins", a.handleAdminCreate)
	writable.GET("/admins/:id", a.handleAdminGet)
	writable.PATCH("/admins/:id", a.handleAdminUpdate)
	writable.DELETE("/admins/:id", a.handleAdminDelete)
	writable.POST("/admins/:id/disable", a.handleAdminDisable)
	writable.POST("/admins/:id/enable", a.handleAdminEnable)
	writable.DELETE("/admins/:id/totp", a.handleAdminTOTPReset)

	writable.GET("/streamers", a.handleStreamerList)
	writable.POST("/streamers", a.handleStreamerCreate)
	writable.GET("/streamers/:id", a.handleStreamerGet)
	writable.PATCH("/streamers/:id", a.handleStreamerUpdate)
	writable.DELETE("/streamers/:id", a.handleStreamerDelete)

	writable.GET("/categories", a.handleCategoryList)
	writable.POST("/categories", a.handleCategoryCreate)
	writable.GET("/categories/:id", a.handleCategoryGet)
	writable.PATCH("/categories/:id", a.handleCategoryUpdate)
	writable.DELETE("/categories/:id", a.handleCategoryDelete)

	writable.GET("/channels", a.handleChannelList)
	writable.POST("/channels", a.handleChannelCreate)
	writable.POST("/channels/import", httpserver.BodyLimit(MaxImportBytes, false), a.handleChannelImport)
	writable.GET("/channels/:id", a.handleChannelGet)
	writable.PATCH("/channels/:id", a.handleChannelUpdate)
	writable.DELETE("/channels/:id", a.handleChannelDelete)
	writable.PUT("/channels/:id/logo", httpserver.BodyLimit(maxLogoUpload, true), a.handleChannelLogoPut)
	writable.DELETE("/channels/:id/logo", a.handleChannelLogoDelete)

	writable.GET("/pipelines", a.handlePipelineList)
	writable.POST("/pipelines", a.handlePipelineCreate)
	writable.GET("/pipelines/:id", a.handlePipelineGet)
	writable.PATCH("/pipelines/:id", a.handlePipelineUpdate)
	writable.DELETE("/pipelines/:id", a.handlePipelineDelete)

	writable.GET("/packages", a.handlePackageList)
	writable.POST("/packages", a.handlePackageCreate)
	writable.GET("/packages/:id", a.handlePackageGet)
	writable.PATCH("/packages/:id", a.handlePackageUpdate)
	writable.DELETE("/packages/:id", a.handlePackageDelete)

	writable.GET("/vod", a.handleVODList)
	writable.POST("/vod", a.handleVODCreate)
	writable.GET("/vod/:id", a.handleVODGet)
	writable.PATCH("/vod/:id", a.handleVODUpdate)
	writable.DELETE("/vod/:id", a.handleVODDelete)

	writable.GET("/settings", a.handleSettingsGet)
	writable.PATCH("/settings", a.handleSettingsUpdate)
	writable.POST("/settings/rotate-streamer-secret", a.handleSettingsRotateSecret)
	backups := writable.Group("", a.requireService(a.Backups != nil, "backups"))
	backups.GET("/backups", a.handleBackupList)
	backups.POST("/backups", a.handleBackupStart) // admins only: a backup holds every password hash

	writable.POST("/subscribers/import", httpserver.BodyLimit(maxImportBytes, false), a.handleSubscriberImport)
	writable.GET("/resellers", a.handleResellerList)
	writable.POST("/resellers", a.handleResellerCreate)
	writable.GET("/resellers/:id", a.handleResellerGet)
	writable.PATCH("/resellers/:id", a.handleResellerUpdate)
	writable.DELETE("/resellers/:id", a.handleResellerDelete)
	writable.POST("/resellers/:id/credits", a.handleResellerCredits)
	writable.GET("/resellers/:id/credit-log", a.handleResellerCreditLog)
	writable.GET("/resellers/:id/rules", a.handleResellerRulesGet)
	writable.PUT("/resellers/:id/rules", a.handleResellerRulesSet)
	writable.GET("/resellers/:id/activity", a.handleResellerActivity)
	fleet := writable.Group("", a.requireService(a.Fleet != nil, "a fleet watcher"))
	fleet.GET("/fleet", a.handleFleet)
	fleet.GET("/fleet/streamers/:id/history", a.handleStreamerHistory)
	fleet.GET("/fleet/channels/:name/history", a.handleChannelHistory)
	fleet.GET("/placements", a.handlePlacements)
	sessions := writable.Group("", a.requireService(a.Sessions != nil, "sessions"))
	sessions.GET("/sessions", a.handleSessionList)
	sessions.DELETE("/sessions/:id", a.handleSessionKill)
	writable.GET("/epg-sources", a.handleEPGSourceList)
	writable.POST("/epg-sources", a.handleEPGSourceCreate)
	writable.GET("/epg-sources/:id", a.handleEPGSourceGet)
	writable.PATCH("/epg-sources/:id", a.handleEPGSourceUpdate)
	writable.DELETE("/epg-sources/:id", a.handleEPGSourceDelete)
	writable.POST("/epg-sources/:id/run", a.handleEPGSourceRun)
	writable.GET("/epg-sources/:id/channels", a.handleEPGSourceChannels)
	writable.GET("/epg/programmes", a.handleProgrammes)
	a.registerSeriesRoutes(writable)
	a.registerDevices(writable)
	a.registerRefusals(writable)
}
