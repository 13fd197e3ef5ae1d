package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"canale/shared/api"
)

// listQuery is the query string of a list call: the store filter f (an
// api.<Entity>Filter, or nil for a list without one) plus the paging, search
// and sort parameters every list endpoint reads. It is the one place list
// calls encode their arguments, so every list sends them the same way.
func listQuery(f any, p api.ListParams) string {
	q := url.Values{}
	if f != nil {
		q = filterQuery(f)
	}
	setNonZero(q, "cursor", p.Cursor)
	setNonZero(q, "limit", p.Limit)
	setNonZero(q, "q", p.Query)
	setNonZero(q, "sort", p.Sort)
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

func (r resource[T, C, U]) list(ctx context.Context, f any, p api.ListParams) (api.Page[T], error) {
	return listPage[T](ctx, r.c, r.path, f, p)
}

// listPage GETs one page of the list at path, selected by filter f.
func listPage[T any](ctx context.Context, c *Client, path string, f any, p api.ListParams) (api.Page[T], error) {
	var out api.Page[T]
	return out, c.do(ctx, http.MethodGet, path+listQuery(f, p), nil, &out)
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
