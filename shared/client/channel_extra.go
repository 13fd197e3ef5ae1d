package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"canale/shared/api"
)

// SetChannelLogo uploads a logo image (PNG, JPEG, WebP or SVG) as the raw body.
func (c *Client) SetChannelLogo(ctx context.Context, id int64, image []byte) (api.Channel, error) {
	var out api.Channel
	return out, c.raw(ctx, http.MethodPut, fmt.Sprintf("/api/v1/channels/%d/logo", id), "application/octet-stream", image, &out, nil)
}

// DeleteChannelLogo removes the uploaded logo.
func (c *Client) DeleteChannelLogo(ctx context.Context, id int64) (api.Channel, error) {
	var out api.Channel
	return out, c.do(ctx, http.MethodDelete, fmt.Sprintf("/api/v1/channels/%d/logo", id), nil, &out)
}

// ImportChannels imports an M3U playlist. When a strict import is refused
// for bad lines it returns the report (naming them) and a CodeInvalid error.
func (c *Client) ImportChannels(ctx context.Context, m3u []byte, o api.ImportOptions) (api.ImportReport, error) {
	q := url.Values{"strict": {strconv.FormatBool(o.Strict)}, "dry_run": {strconv.FormatBool(o.DryRun)},
		"skip_existing": {strconv.FormatBool(o.SkipExisting)}}
	var out api.ImportReport
	var failure struct {
		Error  *api.Error       `json:"error"`
		Report api.ImportReport `json:"report"`
	}
	err := c.raw(ctx, http.MethodPost, "/api/v1/channels/import?"+q.Encode(), "audio/x-mpegurl", m3u, &out, &failure)
	if failure.Error != nil {
		return failure.Report, failure.Error
	}
	return out, err
}

// raw sends body with contentType and decodes a JSON answer into out; a 422
// answer is decoded into unprocessable when it is not nil.
func (c *Client) raw(ctx context.Context, method, path, contentType string, body []byte, out, unprocessable any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	if tok := c.Token(); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &api.Error{Code: api.CodeUnavailable, Message: fmt.Sprintf("cannot reach %s: %v", c.baseURL, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnprocessableEntity && unprocessable != nil {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		return json.Unmarshal(b, unprocessable)
	}
	if resp.StatusCode >= 300 {
		return decodeError(resp)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
