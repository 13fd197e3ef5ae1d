package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"canale/shared/api"
)

// Subscribers returns one page of subscribers selected by f; pass page.Next
// as p.Cursor for the next one.
func (c *Client) Subscribers(ctx context.Context, f api.SubscriberFilter, p api.ListParams) (api.Page[api.Subscriber], error) {
	return listPage[api.Subscriber](ctx, c, "/api/v1/subscribers", f, p)
}

// Subscriber returns one subscriber.
func (c *Client) Subscriber(ctx context.Context, id int64) (api.Subscriber, error) {
	var out api.Subscriber
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/subscribers/%d", id), nil, &out)
}

// CreateSubscriber creates a subscriber (Password is required).
func (c *Client) CreateSubscriber(ctx context.Context, s api.Subscriber) (api.Subscriber, error) {
	var out api.Subscriber
	return out, c.do(ctx, http.MethodPost, "/api/v1/subscribers", s, &out)
}

// UpdateSubscriber changes the fields set in u.
func (c *Client) UpdateSubscriber(ctx context.Context, id int64, u api.SubscriberUpdate) (api.Subscriber, error) {
	var out api.Subscriber
	return out, c.do(ctx, http.MethodPatch, fmt.Sprintf("/api/v1/subscribers/%d", id), u, &out)
}

// DeleteSubscriber deletes a subscriber.
func (c *Client) DeleteSubscriber(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, fmt.Sprintf("/api/v1/subscribers/%d", id), nil, nil)
}

// ResetSubscriberToken gives the subscriber a new playback token.
func (c *Client) ResetSubscriberToken(ctx context.Context, id int64) (api.Subscriber, error) {
	return c.subscriberAction(ctx, id, "reset-token", nil)
}

// ExtendSubscriber extends the subscriber's expiry by a package or days.
func (c *Client) ExtendSubscriber(ctx context.Context, id int64, req api.ExtendRequest) (api.Subscriber, error) {
	return c.subscriberAction(ctx, id, "extend", req)
}

// EnableSubscriber sets the subscriber active.
func (c *Client) EnableSubscriber(ctx context.Context, id int64) (api.Subscriber, error) {
	return c.subscriberAction(ctx, id, "enable", nil)
}

// DisableSubscriber sets the subscriber disabled.
func (c *Client) DisableSubscriber(ctx context.Context, id int64) (api.Subscriber, error) {
	return c.subscriberAction(ctx, id, "disable", nil)
}

func (c *Client) subscriberAction(ctx context.Context, id int64, action string, in any) (api.Subscriber, error) {
	var out api.Subscriber
	return out, c.do(ctx, http.MethodPost, fmt.Sprintf("/api/v1/subscribers/%d/%s", id, action), in, &out)
}

// ImportSubscribers uploads a CSV file of subscribers. strict makes any bad
// line abort the whole import; dryRun checks without changing anything.
func (c *Client) ImportSubscribers(ctx context.Context, csv io.Reader, strict, dryRun bool) (api.ImportReport, error) {
	var out api.ImportReport
	q := url.Values{"strict": {fmt.Sprint(strict)}, "dry_run": {fmt.Sprint(dryRun)}}
	req, err := c.newRequest(ctx, http.MethodPost, "/api/v1/subscribers/import?"+q.Encode(), nil)
	if err != nil {
		return out, err
	}
	b, err := io.ReadAll(csv)
	if err != nil {
		return out, fmt.Errorf("read import file: %w", err)
	}
	req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	req.Header.Set("Content-Type", "text/csv")
	return out, c.send(req, &out)
}
