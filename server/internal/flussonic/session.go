package flussonic

import (
	"context"
	"net/http"
	"net/url"
)

// DeleteSession closes one play session at once (DELETE /sessions/{id}).
// Use it to apply a revocation before X-AuthDuration runs out; the player
// may reconnect, and its new session is then asked about afresh. It returns
// an error of kind ErrNotFound when the session is already gone.
func (c *Client) DeleteSession(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, APIPrefix+"/sessions/"+url.PathEscape(id), nil, nil)
}

// ReauthStream makes the streamer ask the authorization backend again, now,
// about every open session of the stream (POST /sessions/reauth?name=). It
// returns the streamer's estimate of how many sessions it will re-check, and
// an error of kind ErrNotFound when the stream is unknown.
func (c *Client) ReauthStream(ctx context.Context, name string) (int, error) {
	var out struct {
		EstimatedCount flexNumber `json:"estimated_count"`
	}
	q := url.Values{"name": {name}}
	if err := c.do(ctx, http.MethodPost, APIPrefix+"/sessions/reauth", q, &out); err != nil {
		return 0, err
	}
	return int(out.EstimatedCount.V), nil
}
