package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

var admin = api.Actor{Kind: api.KindAdmin, ID: 1, Login: "admin"}

func mustPackage(t *testing.T, dsn, name string, days int) int64 {
	t.Helper()
	var id int64
	storetest.QueryRow(t, dsn, `INSERT INTO packages (name, period_days) VALUES ($1, $2) RETURNING id`, []any{name, days}, &id)
	return id
}

func TestSubscriberCRUD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := storetest.DSN(t)
	s := storetest.Open(t, dsn)
	pkg := mustPackage(t, dsn, "Basic", 30)
	sub, err := s.CreateSubscriber(ctx, admin, api.Subscriber{Password: "pw-long-enough", Login: "Alice", Name: "Alice A", PackageIDs: []int64{pkg},
		AllowedIPs: []string{"10.0.0.0/8"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Token) != 32 || sub.Status != api.StatusActive || sub.Version != 1 || len(sub.PackageIDs) != 1 {
		t.Errorf("created: got %+v, want a 32-hex token, active, version 1, one package", sub)
	}
	if _, err := s.CreateSubscriber(ctx, admin, api.Subscriber{Password: "pw-long-enough", Login: "ALICE"}); api.ErrorCode(err) != api.CodeConflict {
		t.Errorf("same login in other case: got %v, want conflict", err)
	}
	name := "Alice B"
	upd, err := s.UpdateSubscriber(ctx, admin, sub.ID, api.SubscriberUpdate{Name: &name, Version: 1})
	if err != nil || upd.Name != name || upd.Version != 2 {
		t.Fatalf("update: got %+v, %v; want name %q version 2", upd, err, name)
	}
	_, err = s.UpdateSubscriber(ctx, admin, sub.ID, api.SubscriberUpdate{Name: &name, Version: 1})
	if e, ok := err.(interface{ Error() string }); api.ErrorCode(err) != api.CodeConflict || !ok {
		t.Errorf("stale update: got %v, want conflict", e)
	}
	if err := s.DeleteSubscriber(ctx, admin, sub.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSubscriberByID(ctx, sub.ID); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("after delete: got %v, want not_found", err)
	}
	auditPage, _ := s.FindAudit(ctx, api.AuditFilter{Entity: "subscriber"}, api.ListParams{})
	audit := auditPage.Items
	if len(audit) != 3 {
		t.Errorf("audit records: got %d, want 3 (create, update, delete)", len(audit))
	}
}

func TestResetTokenInvalidatesOldAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	sub, err := s.CreateSubscriber(ctx, admin, api.Subscriber{Password: "pw-long-enough", Login: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	reset, err := s.ResetSubscriberToken(ctx, admin, sub.ID)
	if err != nil || reset.Token == sub.Token {
		t.Fatalf("reset: got token %q (old %q), err %v; want a new token", reset.Token, sub.Token, err)
	}
	if _, err := s.FindSubscriberByToken(ctx, sub.Token); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("old token: got %v, want not_found", err)
	}
	if got, err := s.FindSubscriberByToken(ctx, reset.Token); err != nil || got.ID != sub.ID {
		t.Errorf("new token: got %d, %v; want subscriber %d", got.ID, err, sub.ID)
	}
}

// TestConcurrentDebitsAreExact has 50 resellers' requests race for credits
// that pay for exactly 30 subscribers.
func TestConcurrentDebitsAreExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := storetest.DSN(t)
	s := storetest.Open(t, dsn)
	pkg := mustPackage(t, dsn, "Gold", 30)
	r, err := s.CreateReseller(ctx, admin, api.Reseller{Login: "dealer", CreditsMinor: 3000,
		Packages: []api.ResellerPackage{{PackageID: pkg, PriceCreditsMinor: 100}}}, "h")
	if err != nil {
		t.Fatal(err)
	}
	dealer := api.Actor{Kind: api.KindReseller, ID: r.ID, Login: r.Login}
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.CreateSubscriber(ctx, dealer, api.Subscriber{Password: "pw-long-enough", Login: "c" + string(rune('A'+i)) + "x",
				PackageIDs: []int64{pkg}})
		}()
	}
	wg.Wait()
	ok, short := 0, 0
	for _, err := range errs {
		switch api.ErrorCode(err) {
		case "":
			ok++
		case api.CodeConflict:
			short++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 30 || short != 20 {
		t.Errorf("got %d created and %d refused, want 30 and 20", ok, short)
	}
	after, _ := s.FindResellerByID(ctx, r.ID)
	if after.CreditsMinor != 0 {
		t.Errorf("credits after: got %v, want 0", after.CreditsMinor)
	}
	logPage, _ := s.FindCreditLog(ctx, r.ID, api.ListParams{Limit: 1000})
	log := logPage.Items
	if len(log) != 31 { // 30 debits + the opening credits
		t.Errorf("credit log: got %d rows, want 31", len(log))
	}
	page, _ := s.FindSubscribers(ctx, api.SubscriberFilter{ResellerID: r.ID}, api.ListParams{Limit: 100})
	if len(page.Items) != 30 {
		t.Errorf("dealer's subscribers: got %d, want 30", len(page.Items))
	}
}

func TestExtendFromNowOrExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := storetest.DSN(t)
	s := storetest.Open(t, dsn)
	pkg := mustPackage(t, dsn, "Month", 30)
	past := mustTime(t, "2000-01-01T00:00:00Z")
	sub, _ := s.CreateSubscriber(ctx, admin, api.Subscriber{Password: "pw-long-enough", Login: "late", ExpiresAt: &past})
	got, err := s.ExtendSubscriber(ctx, admin, sub.ID, api.ExtendRequest{PackageID: pkg})
	if err != nil {
		t.Fatal(err)
	}
	if got.ExpiresAt == nil || got.ExpiresAt.Year() < 2025 || len(got.PackageIDs) != 1 {
		t.Errorf("extend an expired subscriber: got expiry %v packages %v, want now+30d and the package", got.ExpiresAt, got.PackageIDs)
	}
	again, _ := s.ExtendSubscriber(ctx, admin, sub.ID, api.ExtendRequest{Days: 10})
	if d := again.ExpiresAt.Sub(*got.ExpiresAt); d.Hours() != 240 {
		t.Errorf("second extension added %v, want 240h from the current expiry", d)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
