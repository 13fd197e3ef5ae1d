package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"canale/shared/api"
)

// Fleet returns every streamer's health, load and streams, and where every
// channel runs.
func (c *Client) Fleet(ctx context.Context) (api.FleetStatus, error) {
	var out api.FleetStatus
	return out, c.do(ctx, http.MethodGet, "/api/v1/fleet", nil, &out)
}

// Placements returns where every channel runs, step by step.
func (c *Client) Placements(ctx context.Context) ([]api.ChannelPlacement, error) {
	var out api.Page[api.ChannelPlacement]
	return out.Items, c.do(ctx, http.MethodGet, "/api/v1/placements", nil, &out)
}

// StreamerHistory returns a streamer's last hour, one sample per minute.
func (c *Client) StreamerHistory(ctx context.Context, id int64) (api.StreamerHistory, error) {
	var out api.StreamerHistory
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/fleet/streamers/%d/history", id), nil, &out)
}

// ChannelHistory returns a channel's stream history on every streamer that reports it.
func (c *Client) ChannelHistory(ctx context.Context, name string) (api.ChannelHistory, error) {
	var out api.ChannelHistory
	return out, c.do(ctx, http.MethodGet, "/api/v1/fleet/channels/"+url.PathEscape(name)+"/history", nil, &out)
}
