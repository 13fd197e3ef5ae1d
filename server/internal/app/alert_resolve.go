package app

import "canale/shared/api"

// sendResolved tells desktop apps that a recovery closed a trouble alert, as
// a change of that alert, so an app lists it resolved without waiting for
// its next full read.
func (a *App) sendResolved(recovery api.Alert) {
	if recovery.Resolves == "" {
		return
	}
	e, err := api.NewEvent(api.EventChange, api.Change{Entity: api.EntityAlert, Op: api.OpResolve, ID: recovery.Resolves})
	if err != nil {
		a.logger.Error("wrap alert resolve event", "error", err)
		return
	}
	a.send(e)
}
