package client

import (
	"context"

	"canale/shared/api"
)

func (c *Client) packages() resource[api.Package, api.Package, api.PackageUpdate] {
	return resource[api.Package, api.Package, api.PackageUpdate]{c: c, path: "/api/v1/packages"}
}

// Packages returns a page of packages, selected by f as the store selects them.
func (c *Client) Packages(ctx context.Context, f api.PackageFilter, p api.ListParams) (api.Page[api.Package], error) {
	return c.packages().list(ctx, f, p)
}

// Package returns the package with that id.
func (c *Client) Package(ctx context.Context, id int64) (api.Package, error) {
	return c.packages().get(ctx, id)
}

// CreatePackage creates a package.
func (c *Client) CreatePackage(ctx context.Context, in api.Package) (api.Package, error) {
	return c.packages().create(ctx, in)
}

// UpdatePackage changes the set fields of u; a stale u.Version is CodeConflict.
func (c *Client) UpdatePackage(ctx context.Context, id int64, u api.PackageUpdate) (api.Package, error) {
	return c.packages().update(ctx, id, u)
}

// DeletePackage deletes a package; CodeConflict says what still refers to it.
func (c *Client) DeletePackage(ctx context.Context, id int64) error {
	return c.packages().delete(ctx, id)
}
