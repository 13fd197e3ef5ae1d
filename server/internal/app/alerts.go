package app

import (
	"time"

	"canale/shared/api"
)

// DatabaseDown raises a critical alert: the embedded PostgreSQL exited and
// is being restarted. The serve command calls it from the cluster's
// supervisor; the alert reaches the desktop apps over the event stream,
// which does not need the database.
func (a *App) DatabaseDown(err error) {
	a.raiseDatabaseAlert(api.Alert{Key: api.AlertDatabaseDown, Severity: api.SeverityCritical, Kind: api.AlertDatabaseDown,
		Subject: "PostgreSQL", Message: "the embedded PostgreSQL stopped (" + err.Error() + "); Canale is restarting it",
		At: time.Now()}, false)
}

// DatabaseUp raises the info alert that clears DatabaseDown's.
func (a *App) DatabaseUp() {
	a.raiseDatabaseAlert(api.Alert{Key: api.AlertDatabaseUp, Severity: api.SeverityInfo, Kind: api.AlertDatabaseUp,
		Subject: "PostgreSQL", Message: "the embedded PostgreSQL is running again", At: time.Now()}, true)
}

func (a *App) raiseDatabaseAlert(al api.Alert, recovery bool) {
	if alert, ok := a.alerts.Raise(al, api.AlertDatabaseDown, recovery); ok {
		a.sendAlert(alert)
	}
}
