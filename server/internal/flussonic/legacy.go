package flussonic

import (
	"context"
	"net/http"
)

// legacyMediaEntry is one item of GET /flussonic/api/media:
// {"entry":"stream","value":{"name":..,"stats":{..}}}.
type legacyMediaEntry struct {
	Entry string     `json:"entry"`
	Value wireStream `json:"value"`
}

func (c *Client) legacyStreams(ctx context.Context, dst []Stream) ([]Stream, error) {
	var entries []legacyMediaEntry
	if err := c.do(ctx, http.MethodGet, LegacyPrefix+"/media", nil, &entries); err != nil {
		return nil, err
	}
	out := dst
	if out == nil {
		out = make([]Stream, 0, len(entries))
	}
	for _, e := range entries {
		if e.Entry != "" && e.Entry != "stream" {
			continue // files and other media are not streams
		}
		out = append(out, e.Value.normalise())
	}
	return out, nil
}

func (c *Client) legacyServerStats(ctx context.Context) (ServerStats, error) {
	var w wireServerStats
	if err := c.do(ctx, http.MethodGet, LegacyPrefix+"/server", nil, &w); err != nil {
		return ServerStats{}, err
	}
	s := w.normalise()
	s.Legacy = true
	return s, nil
}
