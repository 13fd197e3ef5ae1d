package client

import (
	"context"
	"fmt"
	"net/http"

	"canale/shared/api"
)

func (c *Client) devices() resource[api.Device, api.Device, api.DeviceUpdate] {
	return resource[api.Device, api.Device, api.DeviceUpdate]{c: c, path: "/api/v1/devices"}
}

// Devices returns a subscriber's set-top boxes.
func (c *Client) Devices(ctx context.Context, subscriberID int64) ([]api.Device, error) {
	var out []api.Device
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/devices?subscriber_id=%d", subscriberID), nil, &out)
}

// Device returns the device with that id.
func (c *Client) Device(ctx context.Context, id int64) (api.Device, error) {
	return c.devices().get(ctx, id)
}

// CreateDevice gives in.SubscriberID a device by MAC; a MAC already taken
// is CodeConflict.
func (c *Client) CreateDevice(ctx context.Context, in api.Device) (api.Device, error) {
	return c.devices().create(ctx, in)
}

// UpdateDevice locks, unlocks or corrects a device; a stale u.Version is
// CodeConflict.
func (c *Client) UpdateDevice(ctx context.Context, id int64, u api.DeviceUpdate) (api.Device, error) {
	return c.devices().update(ctx, id, u)
}

// ResetDeviceLock clears the ids captured from the box; its next boot
// captures them again.
func (c *Client) ResetDeviceLock(ctx context.Context, id int64) (api.Device, error) {
	var out api.Device
	return out, c.do(ctx, http.MethodPost, fmt.Sprintf("/api/v1/devices/%d/reset-lock", id), nil, &out)
}

// DeleteDevice removes a device.
func (c *Client) DeleteDevice(ctx context.Context, id int64) error {
	return c.devices().delete(ctx, id)
}
