package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"canale/shared/api"
)

// EPGSources returns a page of EPG sources by name, each with the state of
// its import; f.Enabled filters when set.
func (c *Client) EPGSources(ctx context.Context, f api.EPGSourceFilter, p api.ListParams) (api.Page[api.EPGSourceStatus], error) {
	return listPage[api.EPGSourceStatus](ctx, c, "/api/v1/epg-sources", f, p)
}

// EPGSource returns one EPG source with its running import's progress.
func (c *Client) EPGSource(ctx context.Context, id int64) (api.EPGSourceStatus, error) {
	var out api.EPGSourceStatus
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/epg-sources/%d", id), nil, &out)
}

// CreateEPGSource adds an EPG source.
func (c *Client) CreateEPGSource(ctx context.Context, src api.EPGSource) (api.EPGSource, error) {
	var out api.EPGSource
	return out, c.do(ctx, http.MethodPost, "/api/v1/epg-sources", src, &out)
}

// UpdateEPGSource changes an EPG source; a stale u.Version is CodeConflict.
func (c *Client) UpdateEPGSource(ctx context.Context, id int64, u api.EPGSourceUpdate) (api.EPGSource, error) {
	var out api.EPGSource
	return out, c.do(ctx, http.MethodPatch, fmt.Sprintf("/api/v1/epg-sources/%d", id), u, &out)
}

// DeleteEPGSource deletes an EPG source and its guide.
func (c *Client) DeleteEPGSource(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, fmt.Sprintf("/api/v1/epg-sources/%d", id), nil, nil)
}

// RunEPGSource starts an import of the source now and returns its state.
func (c *Client) RunEPGSource(ctx context.Context, id int64) (api.EPGSourceStatus, error) {
	var out api.EPGSourceStatus
	return out, c.do(ctx, http.MethodPost, fmt.Sprintf("/api/v1/epg-sources/%d/run", id), nil, &out)
}

// EPGChannels returns the channels the source's guide offers.
func (c *Client) EPGChannels(ctx context.Context, sourceID int64) ([]api.EPGChannel, error) {
	var out []api.EPGChannel
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/epg-sources/%d/channels", sourceID), nil, &out)
}

// Programmes returns the programmes of the EPG ids that overlap [from, to),
// by channel and start.
func (c *Client) Programmes(ctx context.Context, epgIDs []string, from, to time.Time) ([]api.EPGProgramme, error) {
	q := url.Values{"epg_id": epgIDs}
	q.Set("from", from.Format(time.RFC3339))
	q.Set("to", to.Format(time.RFC3339))
	var out []api.EPGProgramme
	return out, c.do(ctx, http.MethodGet, "/api/v1/epg/programmes?"+q.Encode(), nil, &out)
}
