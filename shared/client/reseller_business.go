package client

import (
	"context"
	"fmt"
	"net/http"

	"canale/shared/api"
)

// ResellerRules returns what the operator lets reseller id do (admins).
func (c *Client) ResellerRules(ctx context.Context, id int64) (api.ResellerRules, error) {
	var out api.ResellerRules
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/resellers/%d/rules", id), nil, &out)
}

// SetResellerRules replaces reseller r.ResellerID's rules (admins).
func (c *Client) SetResellerRules(ctx context.Context, r api.ResellerRules) (api.ResellerRules, error) {
	var out api.ResellerRules
	return out, c.do(ctx, http.MethodPut, fmt.Sprintf("/api/v1/resellers/%d/rules", r.ResellerID), r, &out)
}

// ResellerActivity returns one page of what reseller id did, newest first
// (admins). Like the store's FindResellerActivity it takes the reseller's
// id, the path's scope, instead of a filter.
func (c *Client) ResellerActivity(ctx context.Context, id int64, p api.ListParams) (api.Page[api.AuditEntry], error) {
	return listPage[api.AuditEntry](ctx, c, fmt.Sprintf("/api/v1/resellers/%d/activity", id), nil, p)
}

// MyRules returns the signed-in reseller's rules.
func (c *Client) MyRules(ctx context.Context) (api.ResellerRules, error) {
	var out api.ResellerRules
	return out, c.do(ctx, http.MethodGet, "/api/v1/me/rules", nil, &out)
}

// MyActivity returns one page of the signed-in reseller's activity, newest
// first.
func (c *Client) MyActivity(ctx context.Context, p api.ListParams) (api.Page[api.AuditEntry], error) {
	return listPage[api.AuditEntry](ctx, c, "/api/v1/me/activity", nil, p)
}

// CreateTrial makes a free trial line for the signed-in reseller.
func (c *Client) CreateTrial(ctx context.Context, req api.TrialRequest) (api.Subscriber, error) {
	var out api.Subscriber
	return out, c.do(ctx, http.MethodPost, "/api/v1/me/trials", req, &out)
}

// SubResellers returns the signed-in reseller's direct sub-resellers. It
// takes no filter because the store's FindSubResellers has none: the
// signed-in reseller is the only selector.
func (c *Client) SubResellers(ctx context.Context, p api.ListParams) (api.Page[api.Reseller], error) {
	return listPage[api.Reseller](ctx, c, "/api/v1/me/sub-resellers", nil, p)
}

// CreateSubReseller makes a sub-reseller of the signed-in reseller.
func (c *Client) CreateSubReseller(ctx context.Context, r api.Reseller) (api.Reseller, error) {
	var out api.Reseller
	return out, c.do(ctx, http.MethodPost, "/api/v1/me/sub-resellers", r, &out)
}

// SubReseller returns a reseller of the signed-in reseller's subtree.
func (c *Client) SubReseller(ctx context.Context, id int64) (api.Reseller, error) {
	var out api.Reseller
	return out, c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/me/sub-resellers/%d", id), nil, &out)
}

// SubResellerLines returns, read-only, the lines of reseller id of the
// subtree. Like the store's FindSubtreeLines it takes the reseller's id, the
// path's scope, instead of a filter.
func (c *Client) SubResellerLines(ctx context.Context, id int64, p api.ListParams) (api.Page[api.Subscriber], error) {
	return listPage[api.Subscriber](ctx, c, fmt.Sprintf("/api/v1/me/sub-resellers/%d/subscribers", id), nil, p)
}

// SetSubResellerPackages sets what a direct sub-reseller sells and at what prices.
func (c *Client) SetSubResellerPackages(ctx context.Context, id int64, pkgs []api.ResellerPackage) (api.Reseller, error) {
	var out api.Reseller
	return out, c.do(ctx, http.MethodPut, fmt.Sprintf("/api/v1/me/sub-resellers/%d/packages", id), pkgs, &out)
}

// TransferCredits moves credits to (positive) or from (negative) a direct sub-reseller.
func (c *Client) TransferCredits(ctx context.Context, id int64, tr api.CreditTransfer) (api.Reseller, error) {
	var out api.Reseller
	return out, c.do(ctx, http.MethodPost, fmt.Sprintf("/api/v1/me/sub-resellers/%d/credits", id), tr, &out)
}
