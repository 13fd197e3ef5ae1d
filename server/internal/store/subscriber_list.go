package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"canale/shared/api"

	"github.com/jackc/pgx/v5"
)

// subscriberSort describes one sort key of the subscriber list: the SQL
// expression, its ORDER BY, and the keyset condition after a cursor. Name
// and login order with ~<~ (byte order) because their indexes in 002 use
// text_pattern_ops, which is what makes prefix search index-backed too.
type subscriberSort struct {
	key   func(api.Subscriber) any
	order string
	after string // {k}: cursor key, {i}: cursor id
}

var subscriberSorts = map[string]subscriberSort{
	"id": {key: func(s api.Subscriber) any { return s.ID },
		order: `s.id`, after: `s.id > {i}`},
	// lower(login) is unique, so it orders alone; the id in the cursor is unused.
	"login": {key: func(s api.Subscriber) any { return strings.ToLower(s.Login) },
		order: `lower(s.login) USING ~<~`, after: `lower(s.login) ~>~ {k}::text`},
	"name": {key: func(s api.Subscriber) any { return strings.ToLower(s.Name) },
		order: `lower(s.name) USING ~<~, s.id`,
		after: `lower(s.name) ~>=~ {k}::text AND (lower(s.name) ~>~ {k}::text OR s.id > {i})`},
	"expires_at": {key: func(s api.Subscriber) any { return s.ExpiresAt },
		order: `s.expires_at, s.id`, after: `(s.expires_at, s.id) > ({k}::timestamptz, {i})`},
}

// FindSubscribers returns one page of subscribers matching f. p.Query
// searches login, name and token by prefix, case-insensitively; p.Sort is
// one of api.SubscriberSorts (default id). Every page is a keyset query on
// (key, id), so a page deep in a million rows costs the same as the first.
// It returns CodeInvalid naming "sort" or "cursor" for bad parameters.
func (s *Store) FindSubscribers(ctx context.Context, f api.SubscriberFilter, p api.ListParams) (api.Page[api.Subscriber], error) {
	page := api.Page[api.Subscriber]{Items: []api.Subscriber{}}
	sortName := p.Sort
	if sortName == "" {
		sortName = "id"
	}
	srt, ok := subscriberSorts[sortName]
	if !ok {
		return page, &api.Error{Code: api.CodeInvalid, Message: "invalid sort",
			Fields: map[string]string{"sort": "one of " + strings.Join(api.SubscriberSorts, ", ")}}
	}
	// Its cursors name the list and sort, as listQuery.tag does for the others.
	list := "subscribers by " + sortName
	cur, hasCursor, err := decodeCursor(p.Cursor)
	if err == nil && hasCursor && cur.List != list {
		err = badCursor()
	}
	if err != nil {
		return page, err
	}
	limit := p.PageLimit()
	items, err := s.querySubscriberPage(ctx, f, p.Query, srt, cur, hasCursor, limit+1)
	if err != nil {
		return page, fmt.Errorf("find subscribers: %w", err)
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = cursor{Key: srt.key(last), ID: last.ID, List: list}.String()
	}
	page.Items = items
	return page, nil
}

// querySubscriberPage runs the page query. The expires_at sort keeps
// never-expiring subscribers (NULL) last: after the dated rows run out, the
// page continues with the NULL rows in id order.
func (s *Store) querySubscriberPage(ctx context.Context, f api.SubscriberFilter, q string, srt subscriberSort, cur cursor, hasCursor bool, n int) ([]api.Subscriber, error) {
	if srt.order != subscriberSorts["expires_at"].order || !hasCursor {
		return s.selectSubscribers(ctx, f, q, srt.order, srt.after, cur, hasCursor, n)
	}
	var items []api.Subscriber
	if cur.Key != nil {
		var err error
		if items, err = s.selectSubscribers(ctx, f, q, srt.order, srt.after, cur, true, n); err != nil || len(items) == n {
			return items, err
		}
		cur = cursor{ID: 0} // the dated rows ran out: continue with the NULLs
	}
	more, err := s.selectSubscribers(ctx, f, q, `s.id`, `s.expires_at IS NULL AND s.id > {i}`, cur, true, n-len(items))
	return append(items, more...), err
}

func (s *Store) selectSubscribers(ctx context.Context, f api.SubscriberFilter, q, order, after string, cur cursor, hasCursor bool, n int) ([]api.Subscriber, error) {
	where, args := subscriberConditions(f, q)
	if hasCursor {
		r, err := cursorCondition(after, order, cur, &args)
		if err != nil {
			return nil, err
		}
		where = append(where, r)
	}
	args = append(args, n)
	sql := `SELECT ` + subscriberColumns + ` FROM subscribers s WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + order + fmt.Sprintf(` LIMIT $%d`, len(args))
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, interpretError(err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (api.Subscriber, error) { return scanSubscriber(r) })
	return items, interpretError(err)
}

// cursorCondition fills the keyset condition's {k} and {i} with arguments;
// only placeholders present are bound, since PostgreSQL cannot type an
// unused parameter.
func cursorCondition(after, order string, cur cursor, args *[]any) (string, error) {
	var pairs []string
	if strings.Contains(after, "{k}") {
		key, err := cursorKey(cur.Key, order)
		if err != nil {
			return "", err
		}
		*args = append(*args, key)
		pairs = append(pairs, "{k}", fmt.Sprintf("$%d", len(*args)))
	}
	if strings.Contains(after, "{i}") {
		*args = append(*args, cur.ID)
		pairs = append(pairs, "{i}", fmt.Sprintf("$%d", len(*args)))
	}
	return strings.NewReplacer(pairs...).Replace(after), nil
}

// cursorKey turns the JSON-decoded cursor key back into the type the sort
// compares with.
func cursorKey(k any, order string) (any, error) {
	bad := &api.Error{Code: api.CodeInvalid, Message: "invalid cursor",
		Fields: map[string]string{"cursor": "not a cursor of this sort"}}
	switch {
	case strings.HasPrefix(order, "s.expires_at"):
		str, ok := k.(string)
		if !ok {
			return nil, bad
		}
		t, err := time.Parse(time.RFC3339Nano, str)
		if err != nil {
			return nil, bad
		}
		return t, nil
	case strings.HasPrefix(order, "lower("):
		str, ok := k.(string)
		if !ok {
			return nil, bad
		}
		return str, nil
	}
	return nil, nil
}

// subscriberConditions builds the WHERE of a list and its arguments.
func subscriberConditions(f api.SubscriberFilter, q string) ([]string, []any) {
	where := []string{"true"}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.Status != "" {
		where = append(where, "s.status = "+arg(f.Status))
	}
	if f.ResellerID != 0 {
		where = append(where, "s.reseller_id = "+arg(f.ResellerID))
	}
	if f.PackageID != 0 {
		where = append(where, "s.id IN (SELECT sp.subscriber_id FROM subscriber_packages sp WHERE sp.package_id = "+arg(f.PackageID)+")")
	}
	if !f.ExpiresBefore.IsZero() {
		where = append(where, "s.expires_at < "+arg(f.ExpiresBefore))
	}
	if q = strings.ToLower(strings.TrimSpace(q)); q != "" {
		lo, hi := arg(q), arg(prefixUpperBound(q))
		where = append(where, fmt.Sprintf(`(lower(s.login) ~>=~ %[1]s AND lower(s.login) ~<~ %[2]s
			OR lower(s.name) ~>=~ %[1]s AND lower(s.name) ~<~ %[2]s
			OR s.token ~>=~ %[1]s AND s.token ~<~ %[2]s)`, lo, hi))
	}
	return where, args
}

// prefixUpperBound returns the smallest string, in byte order, above every
// string that starts with prefix (up to the highest code point, U+10FFFF).
// A range [prefix, bound) is what a text_pattern_ops index scans for a
// prefix, with any plan, where LIKE $1 || '%' needs a custom plan to use it.
func prefixUpperBound(prefix string) string {
	return prefix + "\U0010FFFF"
}
