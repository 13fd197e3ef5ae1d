package client

import (
	"context"

	"canale/shared/api"
)

func (c *Client) channels() resource[api.Channel, api.ChannelCreate, api.ChannelUpdate] {
	return resource[api.Channel, api.ChannelCreate, api.ChannelUpdate]{c: c, path: "/api/v1/channels"}
}

// Channels returns a page of channels, selected by f as the store selects them.
func (c *Client) Channels(ctx context.Context, f api.ChannelFilter, p api.ListParams) (api.Page[api.Channel], error) {
	return c.channels().list(ctx, f, p)
}

// Channel returns the channel with that id.
func (c *Client) Channel(ctx context.Context, id int64) (api.Channel, error) {
	return c.channels().get(ctx, id)
}

// CreateChannel creates a channel.
func (c *Client) CreateChannel(ctx context.Context, in api.ChannelCreate) (api.Channel, error) {
	return c.channels().create(ctx, in)
}

// UpdateChannel changes the set fields of u; a stale u.Version is CodeConflict.
func (c *Client) UpdateChannel(ctx context.Context, id int64, u api.ChannelUpdate) (api.Channel, error) {
	return c.channels().update(ctx, id, u)
}

// DeleteChannel deletes a channel; CodeConflict says what still refers to it.
func (c *Client) DeleteChannel(ctx context.Context, id int64) error {
	return c.channels().delete(ctx, id)
}
