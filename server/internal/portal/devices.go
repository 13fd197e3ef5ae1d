package portal

import (
	"context"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// Devices lists a subscriber's set-top boxes (*store.Store); the account
// page shows them so a subscriber notices a box that is not theirs.
type Devices interface {
	FindDevices(ctx context.Context, subscriberID int64) ([]api.Device, error)
}

// devices lists the subscriber's boxes; like plays, the page still shows
// when they cannot be read.
func (p *Portal) devices(c *gin.Context, subscriberID int64) []api.Device {
	if p.deps.Devices == nil {
		return nil
	}
	ds, err := p.deps.Devices.FindDevices(c, subscriberID)
	if err != nil {
		p.deps.Logger.ErrorContext(c, "list devices", "subscriber", subscriberID, "error", err)
	}
	return ds
}
