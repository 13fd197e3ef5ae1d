package client

import (
	"context"

	"canale/shared/api"
)

// ResetSubscriberTuner gives the subscriber's HDHomeRun tuner a new URL
// (the answer's TunerURL); the playback token is unchanged.
func (c *Client) ResetSubscriberTuner(ctx context.Context, id int64) (api.Subscriber, error) {
	return c.subscriberAction(ctx, id, "reset-tuner", nil)
}
