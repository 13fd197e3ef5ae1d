package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"canale/shared/api"
)

// ListOptions are the paging, search and sort parameters of every list call,
// plus the endpoint's own filters as query parameters.
type ListOptions struct {
	api.ListParams
	Filter url.Values
}

func (o ListOptions) query() string {
	q := url.Values{}
	for k, v := range o.Filter {
		q[k] = v
	}
	setNonZero(q, "cursor", o.Cursor)
	setNonZero(q, "limit", o.Limit)
	setNonZero(q, "q", o.Query)
	setNonZero(q, "sort", o.Sort)
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// resource is one CRUD collection of the admin API.
type resource[T, C, U any] struct {
	c    *Client
	path string
}

func (r resource[T, C, U]) list(ctx context.Context, o ListOptions) (api.Page[T], error) {
	var out api.Page[T]
	return out, r.c.do(ctx, http.MethodGet, r.path+o.query(), nil, &out)
}

func (r resource[T, C, U]) get(ctx context.Context, id int64) (T, error) {
	var out T
	return out, r.c.do(ctx, http.MethodGet, fmt.Sprintf("%s/%d", r.path, id), nil, &out)
}

func (r resource[T, C, U]) create(ctx context.Context, in C) (T, error) {
	var out T
	return out, r.c.do(ctx, http.MethodPost, r.path, in, &out)
}

func (r resource[T, C, U]) update(ctx context.Context, id int64, u U) (T, error) {
	var out T
	return out, r.c.do(ctx, http.MethodPatch, fmt.Sprintf("%s/%d", r.path, id), u, &out)
}

func (r resource[T, C, U]) delete(ctx context.Context, id int64) error {
	return r.c.do(ctx, http.MethodDelete, fmt.Sprintf("%s/%d", r.path, id), nil, nil)
}
