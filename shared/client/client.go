// Package client is the typed Go client of Canale's admin API. The desktop
// app and the server's end-to-end tests both use it, so the API is exercised
// through the same code the NOC uses. Error bodies come back as *api.Error,
// so callers can test api.ErrorCode(err) == api.CodeConflict.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"canale/shared/api"
)

// Client talks to one Canale server. It is safe for concurrent use.
type Client struct {
	baseURL string
	http    *http.Client

	mu    sync.RWMutex
	token string
}

// New returns a client of the server at baseURL (e.g. "https://iptv.example.com").
// A nil httpClient means one with a 30-second timeout.
func New(baseURL string, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{baseURL: strings.TrimRight(baseURL, "/"), http: httpClient}
}

// BaseURL returns the server URL the client talks to.
func (c *Client) BaseURL() string { return c.baseURL }

// HTTPClient returns the underlying HTTP client (for the event websocket,
// which must trust the same certificates).
func (c *Client) HTTPClient() *http.Client { return c.http }

// Token returns the bearer token in use, or "".
func (c *Client) Token() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.token
}

// SetToken sets the bearer token, e.g. one remembered from an earlier session.
func (c *Client) SetToken(token string) {
	c.mu.Lock()
	c.token = token
	c.mu.Unlock()
}

// Login signs in and keeps the token for later calls.
func (c *Client) Login(ctx context.Context, login, password string) (api.LoginResponse, error) {
	return c.SignIn(ctx, api.LoginRequest{Login: login, Password: password})
}

// Logout revokes the token on the server and forgets it.
func (c *Client) Logout(ctx context.Context) error {
	err := c.do(ctx, http.MethodPost, "/api/v1/auth/logout", nil, nil)
	c.SetToken("")
	return err
}

// ChangePassword changes the signed-in account's own password. The
// client's token stays valid; every other token of the account is revoked.
func (c *Client) ChangePassword(ctx context.Context, current, next string) error {
	return c.do(ctx, http.MethodPost, "/api/v1/me/password", api.PasswordChange{Password: current, NewPassword: next}, nil)
}

// Me returns the signed-in admin and the server's version.
func (c *Client) Me(ctx context.Context) (api.Me, error) {
	var out api.Me
	return out, c.do(ctx, http.MethodGet, "/api/v1/me", nil, &out)
}

// Audit returns one page of the audit records matching f, newest first.
func (c *Client) Audit(ctx context.Context, f api.AuditFilter, p api.ListParams) (api.Page[api.AuditEntry], error) {
	return listPage[api.AuditEntry](ctx, c, "/api/v1/audit", f, p)
}

func setNonZero[T comparable](q url.Values, key string, v T) {
	var zero T
	if v != zero {
		q.Set(key, fmt.Sprint(v))
	}
}

// Do sends a request with a JSON body (nil for none) and decodes a JSON
// answer into out (nil to discard). It is exported for API routes that have
// no typed method yet.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	return c.do(ctx, method, path, in, out)
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	req, err := c.newRequest(ctx, method, path, in)
	if err != nil {
		return err
	}
	return c.send(req, out)
}

// send performs a built request and decodes a JSON answer into out.
func (c *Client) send(req *http.Request, out any) error {
	method, path := req.Method, req.URL.Path
	resp, err := c.http.Do(req)
	if err != nil {
		return &api.Error{Code: api.CodeUnavailable, Message: fmt.Sprintf("cannot reach %s: %v", c.baseURL, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return decodeError(resp)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode %s %s: %w", method, path, err)
	}
	return nil
}

func (c *Client) newRequest(ctx context.Context, method, path string, in any) (*http.Request, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if tok := c.Token(); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return req, nil
}

// decodeError turns an error response into *api.Error, also for answers that
// did not come from Canale (a proxy's HTML 502), so callers always get a code.
func decodeError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var body struct {
		Error *api.Error `json:"error"`
	}
	if json.Unmarshal(b, &body) == nil && body.Error != nil && body.Error.Code != "" {
		return body.Error
	}
	return &api.Error{Code: codeForStatus(resp.StatusCode),
		Message: fmt.Sprintf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(b)))}
}

func codeForStatus(status int) api.Code {
	switch {
	case status == http.StatusUnauthorized:
		return api.CodeUnauthorized
	case status == http.StatusForbidden:
		return api.CodeForbidden
	case status == http.StatusNotFound:
		return api.CodeNotFound
	case status == http.StatusConflict:
		return api.CodeConflict
	case status == http.StatusTooManyRequests:
		return api.CodeRateLimited
	case status >= 500:
		return api.CodeUnavailable
	default:
		return api.CodeInvalid
	}
}
