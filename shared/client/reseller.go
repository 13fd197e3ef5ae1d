package client

import (
	"context"
	"fmt"
	"net/http"

	"canale/shared/api"
)

// LoginReseller signs in as a reseller and keeps the token for later calls.
func (c *Client) LoginReseller(ctx context.Context, login, password string) (api.LoginResponse, error) {
	var out api.LoginResponse
	err := c.do(ctx, http.MethodPost, "/api/v1/auth/login",
		api.LoginRequest{Login: login, Password: password, As: api.KindReseller}, &out)
	if err == nil {
		c.SetToken(out.Token)
	}
	return out, err
}

// Resellers returns one page of resellers (admins only).
func (c *Client) Resellers(ctx context.Context, f api.ResellerFilter, p api.ListParams) (api.Page[api.Reseller], error) {
	return listPage[api.Reseller](ctx, c, "/api/v1/resellers", f, p)
}

// Reseller returns one reseller.
func (c *Client) Reseller(ctx context.Context, id int64) (api.Reseller, error) {
	var out api.Reseller
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/resellers/%d", id), nil, &out)
}

// CreateReseller creates a reseller (Password is required).
func (c *Client) CreateReseller(ctx context.Context, r api.Reseller) (api.Reseller, error) {
	var out api.Reseller
	return out, c.do(ctx, http.MethodPost, "/api/v1/resellers", r, &out)
}

// UpdateReseller changes the fields set in u.
func (c *Client) UpdateReseller(ctx context.Context, id int64, u api.ResellerUpdate) (api.Reseller, error) {
	var out api.Reseller
	return out, c.do(ctx, http.MethodPatch, fmt.Sprintf("/api/v1/resellers/%d", id), u, &out)
}

// DeleteReseller deletes a reseller.
func (c *Client) DeleteReseller(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, fmt.Sprintf("/api/v1/resellers/%d", id), nil, nil)
}

// ChangeResellerCredits tops up (positive delta) or deducts credits.
func (c *Client) ChangeResellerCredits(ctx context.Context, id int64, ch api.CreditChange) (api.Reseller, error) {
	var out api.Reseller
	return out, c.do(ctx, http.MethodPost, fmt.Sprintf("/api/v1/resellers/%d/credits", id), ch, &out)
}

// CreditLog returns one page of a reseller's credit changes, newest first
// (admins). Like the store's FindCreditLog it takes the reseller's id, the
// path's scope, instead of a filter.
func (c *Client) CreditLog(ctx context.Context, id int64, p api.ListParams) (api.Page[api.CreditLogEntry], error) {
	return listPage[api.CreditLogEntry](ctx, c, fmt.Sprintf("/api/v1/resellers/%d/credit-log", id), nil, p)
}

// MyCreditLog returns one page of the signed-in reseller's credit changes,
// newest first.
func (c *Client) MyCreditLog(ctx context.Context, p api.ListParams) (api.Page[api.CreditLogEntry], error) {
	return listPage[api.CreditLogEntry](ctx, c, "/api/v1/me/credit-log", nil, p)
}
