package client

import (
	"context"
	"net/http"

	"canale/shared/api"
)

// Alerts lists the alerts nobody has acknowledged yet, newest first.
func (c *Client) Alerts(ctx context.Context) ([]api.Alert, error) {
	var out []api.Alert
	return out, c.do(ctx, http.MethodGet, "/api/v1/alerts", nil, &out)
}

// AcknowledgeAlerts acknowledges alerts by ID on every instance; operators
// may too.
func (c *Client) AcknowledgeAlerts(ctx context.Context, ids []string) error {
	return c.do(ctx, http.MethodPost, "/api/v1/alerts/ack", api.AlertAck{IDs: ids}, nil)
}
