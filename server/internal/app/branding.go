package app

import (
	"encoding/json"

	"canale/shared/api"
)

// branding is the portal's look from the in-memory settings, so every page
// sees a change as soon as the catalog reloads, without a query.
func (a *App) branding() api.Branding {
	raw, err := json.Marshal(a.catalog.Settings().Data["branding"])
	if err != nil {
		return api.Branding{}
	}
	return api.BrandingFromJSON(raw)
}
