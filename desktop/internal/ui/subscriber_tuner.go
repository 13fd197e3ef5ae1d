package ui

import (
	"context"

	"canale/shared/api"
	"canale/shared/client"
)

// onResetTuner gives the subscriber's HDHomeRun tuner a new URL after a
// confirmation: media servers that added the old one lose the tuner, the
// subscriber's players keep working.
func (f *subscriberForm) onResetTuner() {
	if f.sub.ID == 0 {
		return
	}
	id := f.sub.ID
	f.w.confirm("Reset tuner", "Give "+f.sub.Login+"'s HDHomeRun tuner a new address? Media servers using the current one lose it; playlists keep working.",
		"Reset tuner", func() {
			f.call(func(ctx context.Context, c *client.Client) (api.Subscriber, error) {
				return c.ResetSubscriberTuner(ctx, id)
			}, "New tuner address issued; the subscriber adds it to their media server again.")
		})
}
