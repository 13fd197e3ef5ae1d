package client

import (
	"context"
	"fmt"
	"net/http"

	"canale/shared/api"
)

// PlaySessions lists play sessions: who watches what now, or with
// f.History the closed ones too, newest first. Pass the previous page's
// Next as p.Cursor.
func (c *Client) PlaySessions(ctx context.Context, f api.PlaySessionFilter, p api.ListParams) (api.Page[api.PlaySession], error) {
	return listPage[api.PlaySession](ctx, c, "/api/v1/sessions", f, p)
}

// KillPlaySession ends a play session: it is refused at its next check and
// the streamer is asked to drop it.
func (c *Client) KillPlaySession(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, fmt.Sprintf("/api/v1/sessions/%d", id), nil, nil)
}

// TLS returns the state of HTTPS with a Let's Encrypt certificate.
func (c *Client) TLS(ctx context.Context) (api.TLSStatus, error) {
	var out api.TLSStatus
	return out, c.do(ctx, http.MethodGet, "/api/v1/tls", nil, &out)
}

// LetsEncrypt requests a certificate now and turns HTTPS on; the answer says
// whether the CA validated the domain.
func (c *Client) LetsEncrypt(ctx context.Context, r api.LetsEncryptRequest) (api.TLSStatus, error) {
	var out api.TLSStatus
	return out, c.do(ctx, http.MethodPost, "/api/v1/tls/letsencrypt", r, &out)
}

// DisableLetsEncrypt stops serving HTTPS with the managed certificate.
func (c *Client) DisableLetsEncrypt(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/api/v1/tls/letsencrypt", nil, nil)
}

// PlayRefusals lists refused plays, newest first: the last hour unless
// f.Since is set, filtered by subscriber login and reason code.
func (c *Client) PlayRefusals(ctx context.Context, f api.PlayRefusalFilter, p api.ListParams) (api.Page[api.PlayRefusal], error) {
	return listPage[api.PlayRefusal](ctx, c, "/api/v1/refusals", f, p)
}
