package store

import (
	"context"
	"strconv"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// findNewestFirst pages a log: q's rows ordered by their id alone, newest
// first, whatever sort the caller asked for. It is findPage with the one
// order every log has (the audit, credit and activity logs, refused plays,
// play sessions), so a log is paged like every other list: an opaque cursor
// and a limit, answered as an api.Page.
func findNewestFirst[T any](ctx context.Context, db querier, q listQuery, p api.ListParams, scan func(pgx.Row) (T, error), id func(T) int64) (api.Page[T], error) {
	q.defaultSort = "id"
	q.sorts = map[string]sortKey{"id": {expr: q.idExpr, cast: "bigint",
		key: func(v any) string { return strconv.FormatInt(id(v.(T)), 10) }}}
	p.Sort = "-id"
	return findPage(ctx, db, q, p, scan, id)
}
