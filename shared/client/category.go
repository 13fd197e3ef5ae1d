package client

import (
	"context"

	"canale/shared/api"
)

func (c *Client) categorys() resource[api.Category, api.Category, api.CategoryUpdate] {
	return resource[api.Category, api.Category, api.CategoryUpdate]{c: c, path: "/api/v1/categories"}
}

// Categories returns a page of categories, selected by f as the store selects them.
func (c *Client) Categories(ctx context.Context, f api.CategoryFilter, p api.ListParams) (api.Page[api.Category], error) {
	return c.categorys().list(ctx, f, p)
}

// Category returns the category with that id.
func (c *Client) Category(ctx context.Context, id int64) (api.Category, error) {
	return c.categorys().get(ctx, id)
}

// CreateCategory creates a category.
func (c *Client) CreateCategory(ctx context.Context, in api.Category) (api.Category, error) {
	return c.categorys().create(ctx, in)
}

// UpdateCategory changes the set fields of u; a stale u.Version is CodeConflict.
func (c *Client) UpdateCategory(ctx context.Context, id int64, u api.CategoryUpdate) (api.Category, error) {
	return c.categorys().update(ctx, id, u)
}

// DeleteCategory deletes a category; CodeConflict says what still refers to it.
func (c *Client) DeleteCategory(ctx context.Context, id int64) error {
	return c.categorys().delete(ctx, id)
}
