package client

import (
	"context"

	"canale/shared/api"
)

func (c *Client) vods() resource[api.VOD, api.VODCreate, api.VODUpdate] {
	return resource[api.VOD, api.VODCreate, api.VODUpdate]{c: c, path: "/api/v1/vod"}
}

// VODs returns a page of VOD items, selected by f as the store selects them.
func (c *Client) VODs(ctx context.Context, f api.VODFilter, p api.ListParams) (api.Page[api.VOD], error) {
	return c.vods().list(ctx, f, p)
}

// VOD returns the VOD item with that id.
func (c *Client) VOD(ctx context.Context, id int64) (api.VOD, error) { return c.vods().get(ctx, id) }

// CreateVOD creates a VOD item.
func (c *Client) CreateVOD(ctx context.Context, in api.VODCreate) (api.VOD, error) {
	return c.vods().create(ctx, in)
}

// UpdateVOD changes the set fields of u; a stale u.Version is CodeConflict.
func (c *Client) UpdateVOD(ctx context.Context, id int64, u api.VODUpdate) (api.VOD, error) {
	return c.vods().update(ctx, id, u)
}

// DeleteVOD deletes a VOD item; CodeConflict says what still refers to it.
func (c *Client) DeleteVOD(ctx context.Context, id int64) error { return c.vods().delete(ctx, id) }
