package client

import (
	"context"
	"net/http"

	"canale/shared/api"
)

// Settings returns the installation's settings with the derived streamer URLs
// and warnings.
func (c *Client) Settings(ctx context.Context) (api.Settings, error) {
	var out api.Settings
	return out, c.do(ctx, http.MethodGet, "/api/v1/settings", nil, &out)
}

// UpdateSettings changes the set fields of u.
func (c *Client) UpdateSettings(ctx context.Context, u api.SettingsUpdate) (api.Settings, error) {
	var out api.Settings
	return out, c.do(ctx, http.MethodPatch, "/api/v1/settings", u, &out)
}

// RotateStreamerSecret replaces the streamer secret; version 0 rotates
// whatever is current.
func (c *Client) RotateStreamerSecret(ctx context.Context, version int) (api.Settings, error) {
	var out api.Settings
	return out, c.do(ctx, http.MethodPost, "/api/v1/settings/rotate-streamer-secret", api.RotateSecretRequest{Version: version}, &out)
}

// Backups returns the last backups, newest first.
func (c *Client) Backups(ctx context.Context) ([]api.Backup, error) {
	var out []api.Backup
	return out, c.do(ctx, http.MethodGet, "/api/v1/backups", nil, &out)
}

// StartBackup starts a backup of the database on the server; it runs in the
// background, reporting through backup_progress and backup_done events.
func (c *Client) StartBackup(ctx context.Context) (api.Backup, error) {
	var out api.Backup
	return out, c.do(ctx, http.MethodPost, "/api/v1/backups", nil, &out)
}
