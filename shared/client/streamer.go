package client

import (
	"context"

	"canale/shared/api"
)

func (c *Client) streamers() resource[api.Streamer, api.StreamerCreate, api.StreamerUpdate] {
	return resource[api.Streamer, api.StreamerCreate, api.StreamerUpdate]{c: c, path: "/api/v1/streamers"}
}

// Streamers returns a page of streamers, selected by f as the store selects them.
func (c *Client) Streamers(ctx context.Context, f api.StreamerFilter, p api.ListParams) (api.Page[api.Streamer], error) {
	return c.streamers().list(ctx, f, p)
}

// Streamer returns the streamer with that id.
func (c *Client) Streamer(ctx context.Context, id int64) (api.Streamer, error) {
	return c.streamers().get(ctx, id)
}

// CreateStreamer creates a streamer.
func (c *Client) CreateStreamer(ctx context.Context, in api.StreamerCreate) (api.Streamer, error) {
	return c.streamers().create(ctx, in)
}

// UpdateStreamer changes the set fields of u; a stale u.Version is CodeConflict.
func (c *Client) UpdateStreamer(ctx context.Context, id int64, u api.StreamerUpdate) (api.Streamer, error) {
	return c.streamers().update(ctx, id, u)
}

// DeleteStreamer deletes a streamer; CodeConflict says what still refers to it.
func (c *Client) DeleteStreamer(ctx context.Context, id int64) error {
	return c.streamers().delete(ctx, id)
}
