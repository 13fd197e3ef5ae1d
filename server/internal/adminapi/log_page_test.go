package adminapi_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"canale/shared/api"
)

// logPage is one page of a log as ids, newest first, and the next cursor.
type logPage func(api.ListParams) ([]int64, string, error)

func auditIDs(p api.Page[api.AuditEntry], err error) ([]int64, string, error) {
	ids := make([]int64, len(p.Items))
	for i, e := range p.Items {
		ids[i] = e.ID
	}
	return ids, p.Next, err
}

func creditIDs(p api.Page[api.CreditLogEntry], err error) ([]int64, string, error) {
	ids := make([]int64, len(p.Items))
	for i, e := range p.Items {
		ids[i] = e.ID
	}
	return ids, p.Next, err
}

// pageThrough follows a log's cursors, three records a page, and returns
// every id it was given in order.
func pageThrough(t *testing.T, name string, list logPage) []int64 {
	t.Helper()
	var all []int64
	cur := ""
	for pages := 1; ; pages++ {
		ids, next, err := list(api.ListParams{Cursor: cur, Limit: 3})
		if err != nil {
			t.Fatalf("%s, page %d: %v", name, pages, err)
		}
		if len(ids) > 3 || pages > 50 {
			t.Fatalf("%s, page %d: got %d records, want at most 3 a page and an end", name, pages, len(ids))
		}
		all = append(all, ids...)
		if next == "" {
			return all
		}
		cur = next
	}
}

// cursorRefused reports whether err is the 400 that names "cursor".
func cursorRefused(err error) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Code == api.CodeInvalid && e.Fields["cursor"] != ""
}

// TestLogsPageLikeEveryList pages the audit, credit and activity logs
// through the typed client by cursor: every record comes once, newest
// first, across several pages; a forged cursor, or one from another list,
// is a 400 naming cursor.
func TestLogsPageLikeEveryList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	admin := b.srv.Admin
	for i := range 7 {
		if _, err := admin.ChangeResellerCredits(ctx, b.one.ID, api.CreditChange{DeltaMinor: int64(i + 1), Reason: "top-up"}); err != nil {
			t.Fatal(err)
		}
	}
	logs := map[string]logPage{
		"GET /audit": func(p api.ListParams) ([]int64, string, error) {
			return auditIDs(admin.Audit(ctx, api.AuditFilter{Entity: api.EntityReseller, EntityID: itoa(b.one.ID)}, p))
		},
		"GET /resellers/{id}/credit-log": func(p api.ListParams) ([]int64, string, error) {
			return creditIDs(admin.CreditLog(ctx, b.one.ID, p))
		},
		"GET /me/credit-log": func(p api.ListParams) ([]int64, string, error) { return creditIDs(b.c1.MyCreditLog(ctx, p)) },
		"GET /resellers/{id}/activity": func(p api.ListParams) ([]int64, string, error) {
			return auditIDs(admin.ResellerActivity(ctx, b.one.ID, p))
		},
		"GET /me/activity": func(p api.ListParams) ([]int64, string, error) { return auditIDs(b.c1.MyActivity(ctx, p)) },
	}
	resellers, err := admin.Resellers(ctx, api.ResellerFilter{}, api.ListParams{Limit: 1})
	if err != nil || resellers.Next == "" {
		t.Fatalf("a cursor of the reseller list: got %+v, %v", resellers, err)
	}
	_, auditCursor, _ := logs["GET /audit"](api.ListParams{Limit: 1})
	_, creditCursor, _ := logs["GET /me/credit-log"](api.ListParams{Limit: 1})
	for name, list := range logs {
		t.Run(name, func(t *testing.T) {
			whole, _, err := list(api.ListParams{Limit: api.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			if len(whole) < 8 { // the creation and seven credit changes
				t.Fatalf("got %d records, want at least 8 so that paging takes 3 pages", len(whole))
			}
			paged := pageThrough(t, name, list)
			if !slices.Equal(paged, whole) {
				t.Errorf("paged 3 at a time: got ids %v, want %v (each once, as one page has them)", paged, whole)
			}
			if !slices.IsSortedFunc(paged, func(a, b int64) int { return int(b - a) }) || len(slices.Compact(slices.Clone(paged))) != len(paged) {
				t.Errorf("got ids %v, want them newest first, each once", paged)
			}
			foreign := creditCursor
			if slices.Contains([]string{"GET /resellers/{id}/credit-log", "GET /me/credit-log"}, name) {
				foreign = auditCursor
			}
			for what, cur := range map[string]string{"a forged cursor": "not-a-cursor", "a reseller list's cursor": resellers.Next,
				"another log's cursor": foreign, "a cursor with a key that is no id": "eyJrIjoiYWJjIiwiaSI6NX0"} {
				if _, _, err := list(api.ListParams{Cursor: cur}); !cursorRefused(err) {
					t.Errorf("%s: got %v, want invalid naming cursor", what, err)
				}
			}
		})
	}
}

// TestResellerCannotPageAnothersLog: a reseller gets only its own log, even
// with a cursor taken from another reseller's, and cannot name another
// reseller's log by id.
func TestResellerCannotPageAnothersLog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	admin := b.srv.Admin
	theirActivity, err := admin.ResellerActivity(ctx, b.two.ID, api.ListParams{Limit: 1})
	if err != nil || theirActivity.Next == "" {
		t.Fatalf("two's activity: got %+v, %v; want a page with a next", theirActivity, err)
	}
	mine, err := b.c1.MyActivity(ctx, api.ListParams{Cursor: theirActivity.Next})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range mine.Items {
		if e.EntityID != itoa(b.one.ID) && (e.ActorKind != api.KindReseller || e.ActorID != b.one.ID) {
			t.Errorf("one's activity through two's cursor holds %+v, which is not one's", e)
		}
	}
	if _, err := admin.ChangeResellerCredits(ctx, b.two.ID, api.CreditChange{DeltaMinor: 5, Reason: "top-up"}); err != nil {
		t.Fatal(err)
	}
	theirCredits, err := admin.CreditLog(ctx, b.two.ID, api.ListParams{Limit: 1})
	if err != nil || theirCredits.Next == "" {
		t.Fatalf("two's credit log: got %+v, %v; want a page with a next", theirCredits, err)
	}
	myCredits, err := b.c1.MyCreditLog(ctx, api.ListParams{Cursor: theirCredits.Next})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range myCredits.Items {
		if e.ResellerID != b.one.ID {
			t.Errorf("one's credit log through two's cursor holds %+v, which is two's", e)
		}
	}
	if p, err := b.c1.ResellerActivity(ctx, b.two.ID, api.ListParams{}); err == nil || len(p.Items) > 0 {
		t.Errorf("one reads two's activity by id: got %+v, %v; want a refusal", p, err)
	}
	if p, err := b.c1.CreditLog(ctx, b.two.ID, api.ListParams{}); err == nil || len(p.Items) > 0 {
		t.Errorf("one reads two's credit log by id: got %+v, %v; want a refusal", p, err)
	}
}

// TestSubscriberListRefusesAnotherListsCursor: the subscriber list, paged
// by a keyset builder of its own, refuses a cursor from another list or
// from itself in another sort, naming cursor, like every other list.
func TestSubscriberListRefusesAnotherListsCursor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	admin := b.srv.Admin
	for _, login := range []string{"ann", "ben"} {
		if _, err := admin.CreateSubscriber(ctx, api.Subscriber{Login: login, Password: "pw-" + login}); err != nil {
			t.Fatal(err)
		}
	}
	byLogin, err := admin.Subscribers(ctx, api.SubscriberFilter{}, api.ListParams{Limit: 1, Sort: "login"})
	if err != nil || byLogin.Next == "" {
		t.Fatalf("subscribers by login: got %+v, %v; want a next page", byLogin, err)
	}
	if _, err := admin.Subscribers(ctx, api.SubscriberFilter{}, api.ListParams{Limit: 1, Sort: "login", Cursor: byLogin.Next}); err != nil {
		t.Errorf("its own cursor: %v", err)
	}
	resellers, err := admin.Resellers(ctx, api.ResellerFilter{}, api.ListParams{Limit: 1})
	if err != nil || resellers.Next == "" {
		t.Fatalf("a cursor of the reseller list: got %+v, %v", resellers, err)
	}
	for what, p := range map[string]api.ListParams{
		"a reseller list's cursor": {Sort: "login", Cursor: resellers.Next},
		"its own, in another sort": {Sort: "name", Cursor: byLogin.Next},
	} {
		if _, err := admin.Subscribers(ctx, api.SubscriberFilter{}, p); !cursorRefused(err) {
			t.Errorf("%s: got %v, want invalid naming cursor", what, err)
		}
		if _, err := admin.Audit(ctx, api.AuditFilter{}, api.ListParams{Cursor: byLogin.Next}); !cursorRefused(err) {
			t.Errorf("the audit log given a subscriber list's cursor: got %v, want invalid naming cursor", err)
		}
	}
}
