package adminapi

import (
	"context"
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// BackupService runs the server's backups and lists the recent ones;
// *backup.Service is the implementation.
type BackupService interface {
	// StartBackup starts a backup in the background and returns its record;
	// CodeConflict while one runs. Progress and outcome come as events.
	StartBackup(ctx context.Context, actor api.Actor) (api.Backup, error)
	FindBackups(ctx context.Context, limit int) ([]api.Backup, error)
}

// backupListLimit is how many backups GET /backups returns, newest first.
const backupListLimit = 20

func (a *API) handleBackupList(c *gin.Context) {
	list, err := a.Backups.FindBackups(c, backupListLimit)
	a.reply(c, http.StatusOK, list, err)
}

// handleBackupStart answers POST /backups ("Back up now") as soon as the
// backup has started: a large database takes minutes.
func (a *API) handleBackupStart(c *gin.Context) {
	b, err := a.Backups.StartBackup(c, currentActor(c))
	a.reply(c, http.StatusAccepted, b, err)
}
