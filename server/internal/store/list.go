package store

import (
	"context"
	"strconv"
	"strings"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// querier is what both the pool and a transaction offer, so a read can run
// inside a write's transaction or on its own.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// sortKey is one way a list can be ordered: a SQL expression and the type its
// cursor value is cast to (cursor values travel as text).
type sortKey struct {
	expr string
	cast string
	key  func(item any) string
}

// listQuery builds a keyset-paged SELECT: filters, a prefix search over some
// expressions, and one of the named sort keys, always tie-broken by id.
type listQuery struct {
	selectFrom  string // "SELECT cols FROM table t"
	idExpr      string // "t.id"
	where       []string
	args        []any
	search      []string
	sorts       map[string]sortKey
	defaultSort string
}

// arg adds a parameter and returns its placeholder.
func (q *listQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// filter adds a condition; each %s in cond is replaced by the placeholder of v.
func (q *listQuery) filter(cond string, v any) {
	q.where = append(q.where, strings.ReplaceAll(cond, "%s", q.arg(v)))
}

// escapeLike makes s match literally in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// sql returns the statement for one page of p, fetching one extra row to know
// whether another page follows, and the tag of its cursors.
func (q *listQuery) sql(p api.ListParams) (string, sortKey, string, error) {
	name, desc := strings.TrimPrefix(p.Sort, "-"), strings.HasPrefix(p.Sort, "-")
	if name == "" {
		name = q.defaultSort
	}
	sk, ok := q.sorts[name]
	if !ok {
		return "", sk, "", &api.Error{Code: api.CodeInvalid, Message: "invalid sort",
			Fields: map[string]string{"sort": "cannot sort by " + name}}
	}
	order := name
	if desc {
		order = "-" + name
	}
	tag := q.tag(order)
	if s := strings.TrimSpace(p.Query); s != "" && len(q.search) > 0 {
		ph := q.arg(escapeLike(strings.ToLower(s)) + "%")
		var ors []string
		for _, e := range q.search {
			ors = append(ors, e+" LIKE "+ph)
		}
		q.where = append(q.where, "("+strings.Join(ors, " OR ")+")")
	}
	cur, ok, err := decodeCursor(p.Cursor)
	if err != nil {
		return "", sk, "", err
	}
	op, dir := ">", ""
	if desc {
		op, dir = "<", " DESC"
	}
	byID := sk.expr == q.idExpr // a log's order: the id alone, no tie to break
	if ok {
		key, err := keyFrom(cur, tag, sk)
		switch {
		case err != nil:
			return "", sk, "", err
		case byID:
			q.where = append(q.where, q.idExpr+" "+op+" "+q.arg(cur.ID))
		default:
			q.where = append(q.where, "("+sk.expr+", "+q.idExpr+") "+op+" (CAST("+q.arg(key)+" AS "+sk.cast+"), "+q.arg(cur.ID)+")")
		}
	}
	sql := q.selectFrom
	if len(q.where) > 0 {
		sql += " WHERE " + strings.Join(q.where, " AND ")
	}
	sql += " ORDER BY " + sk.expr + dir
	if !byID {
		sql += ", " + q.idExpr + dir
	}
	return sql + " LIMIT " + strconv.Itoa(p.PageLimit()+1), sk, tag, nil
}

// findPage runs q for one page of p, scanning rows with scan.
func findPage[T any](ctx context.Context, db querier, q listQuery, p api.ListParams, scan func(pgx.Row) (T, error), id func(T) int64) (api.Page[T], error) {
	page := api.Page[T]{Items: []T{}}
	sql, sk, tag, err := q.sql(p)
	if err != nil {
		return page, err
	}
	rows, err := db.Query(ctx, sql, q.args...)
	if err != nil {
		return page, interpretError(err)
	}
	defer rows.Close()
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return page, interpretError(err)
		}
		page.Items = append(page.Items, item)
	}
	if err := rows.Err(); err != nil {
		return page, interpretError(err)
	}
	if n := p.PageLimit(); len(page.Items) > n {
		page.Items = page.Items[:n]
		last := page.Items[n-1]
		page.Next = cursor{Key: sk.key(last), ID: id(last), List: tag}.String()
	}
	return page, nil
}

// checkVersion is the one check of an update's version: a missing one (zero,
// as JSON without "version" decodes) is the caller's invalid field, since
// answering it as stale would send them to reload for nothing; one that is not
// the row's is errStale.
func checkVersion(entity string, id int64, have, want int) error {
	if want <= 0 {
		return &api.Error{Code: api.CodeInvalid, Message: "version is required: send the version you read",
			Fields: map[string]string{"version": "required: the version you read"}}
	}
	if have != want {
		return errStale(entity, id)
	}
	return nil
}

// conflict is a CodeConflict error naming what still refers to an entity.
func conflict(field, message string) error {
	return &api.Error{Code: api.CodeConflict, Message: message, Fields: map[string]string{field: message}}
}

// namesList joins up to ten names for a message, saying how many more there are.
func namesList(names []string, total int) string {
	s := strings.Join(names, ", ")
	if total > len(names) {
		s += " and " + strconv.Itoa(total-len(names)) + " more"
	}
	return s
}

// lowerString matches PostgreSQL's lower() for the cursor of a lower(...)
// sort key.
func lowerString(s string) string { return strings.ToLower(s) }
