package adminapi_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"canale/shared/api"
)

// wantRefused checks that err is a 403 naming field.
func wantRefused(t *testing.T, what string, err error, field string) {
	t.Helper()
	e, ok := err.(*api.Error)
	if !ok || e.Code != api.CodeForbidden || e.Fields[field] == "" {
		t.Errorf("%s: got %v, want forbidden naming %s", what, err, field)
	}
}

// unchanged fails unless the subscriber (read as admin) and the reseller's
// credits are what they were: a refusal must change nothing.
func unchanged(t *testing.T, b resellerSetup, what string, sub api.Subscriber, credits int64) {
	t.Helper()
	ctx := context.Background()
	now, err := b.srv.Admin.Subscriber(ctx, sub.ID)
	if err != nil || now.Version != sub.Version || now.Status != sub.Status || now.MaxSessions != sub.MaxSessions ||
		!sameTime(now.ExpiresAt, sub.ExpiresAt) {
		t.Errorf("%s changed the subscriber: got %+v, %v; want %+v", what, now, err, sub)
	}
	r, err := b.srv.Admin.Reseller(ctx, *sub.ResellerID)
	if err != nil || r.CreditsMinor != credits {
		t.Errorf("%s changed the credits: got %v, %v; want %v", what, r.CreditsMinor, err, credits)
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// mine creates a subscriber of reseller one with the package it sells.
func mine(t *testing.T, b resellerSetup, login string) api.Subscriber {
	t.Helper()
	sub, err := b.c1.CreateSubscriber(context.Background(), api.Subscriber{Login: login, Password: "pw-" + login,
		PackageIDs: []int64{b.pkg}})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// credits returns reseller id's balance in minor units.
func credits(t *testing.T, b resellerSetup, id int64) int64 {
	t.Helper()
	r, err := b.srv.Admin.Reseller(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r.CreditsMinor
}

// TestResellerCreateBuysAccess: a reseller's new subscriber gets its expiry
// and its session limit from the package bought for it, never a free,
// unlimited or never-expiring account.
func TestResellerCreateBuysAccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	before := time.Now()
	sub, err := b.c1.CreateSubscriber(ctx, api.Subscriber{Login: "bought", Password: "pw", MaxSessions: 0,
		PackageIDs: []int64{b.pkg}})
	if err != nil {
		t.Fatal(err)
	}
	if sub.MaxSessions != 1 {
		t.Errorf("max_sessions 0 from a reseller: got %d, want the package's 1", sub.MaxSessions)
	}
	if sub.ExpiresAt == nil || sub.ExpiresAt.Before(before.Add(30*24*time.Hour-time.Minute)) ||
		sub.ExpiresAt.After(time.Now().Add(30*24*time.Hour+time.Minute)) {
		t.Errorf("expiry of a subscriber bought with a 30-day package: got %v, want 30 days from now", sub.ExpiresAt)
	}
	empty, err := b.c1.CreateSubscriber(ctx, api.Subscriber{Login: "nothing-bought", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	if empty.ExpiresAt == nil || empty.ExpiresAt.After(time.Now().Add(time.Minute)) || empty.MaxSessions < 1 {
		t.Errorf("a reseller's subscriber with no package: got expiry %v, %d sessions; want expired now and a limit",
			empty.ExpiresAt, empty.MaxSessions)
	}

	year := time.Now().AddDate(10, 0, 0)
	tests := []struct {
		name  string
		sub   api.Subscriber
		field string
	}{
		{"Expiry", api.Subscriber{ExpiresAt: &year, PackageIDs: []int64{b.pkg}}, "expires_at"},
		{"MoreSessions", api.Subscriber{MaxSessions: 5, PackageIDs: []int64{b.pkg}}, "max_sessions"},
		{"Banned", api.Subscriber{Status: api.StatusBanned, PackageIDs: []int64{b.pkg}}, "status"},
		{"NotForSale", api.Subscriber{PackageIDs: []int64{b.pkg, b.other}}, "package_ids"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.sub.Login, tt.sub.Password = "refused-"+tt.name, "pw"
			_, err := b.c1.CreateSubscriber(ctx, tt.sub)
			wantRefused(t, "create with "+tt.field, err, tt.field)
			page, _ := b.srv.Admin.Subscribers(ctx, api.SubscriberFilter{}, api.ListParams{Query: tt.sub.Login})
			if len(page.Items) != 0 {
				t.Errorf("refused create left a subscriber: %+v", page.Items)
			}
		})
	}
	if got := credits(t, b, b.one.ID); got != 800 {
		t.Errorf("credits after one purchase and refusals: got %v, want 800 (8.00)", got)
	}
}

// TestResellerUpdateCannotMintAccess: expiry and an unlimited or higher
// session limit cannot be set by PATCH; each refusal is a 403 naming the
// field and changes nothing.
func TestResellerUpdateCannotMintAccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	sub := mine(t, b, "patched")
	left := credits(t, b, b.one.ID)
	later := time.Now().AddDate(10, 0, 0)
	zero, many := 0, 9
	other, nobody := b.two.ID, int64(0)
	tests := []struct {
		name  string
		upd   api.SubscriberUpdate
		field string
	}{
		{"Expiry", api.SubscriberUpdate{ExpiresAt: &later}, "expires_at"},
		{"ClearExpiry", api.SubscriberUpdate{ClearExpiry: true}, "clear_expiry"},
		{"Unlimited", api.SubscriberUpdate{MaxSessions: &zero}, "max_sessions"},
		{"MoreSessions", api.SubscriberUpdate{MaxSessions: &many}, "max_sessions"},
		{"Packages", api.SubscriberUpdate{PackageIDs: &[]int64{b.pkg}}, "package_ids"},
		{"Move", api.SubscriberUpdate{ResellerID: &other}, "reseller_id"},
		{"Detach", api.SubscriberUpdate{ResellerID: &nobody}, "reseller_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.upd.Version = sub.Version
			_, err := b.c1.UpdateSubscriber(ctx, sub.ID, tt.upd)
			wantRefused(t, "update of "+tt.field, err, tt.field)
			unchanged(t, b, "refused update of "+tt.field, sub, left)
		})
	}
}

// TestResellerCannotLiftBan: a ban is the operator's. The reseller may
// disable and enable its own subscribers, but not ban, unban, turn a ban into
// a disable, or delete a banned subscriber to start afresh.
func TestResellerCannotLiftBan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	sub := mine(t, b, "paused")
	off, err := b.c1.DisableSubscriber(ctx, sub.ID)
	if err != nil || off.Status != api.StatusDisabled {
		t.Fatalf("reseller disables its subscriber: got %+v, %v", off, err)
	}
	on, err := b.c1.EnableSubscriber(ctx, sub.ID)
	if err != nil || on.Status != api.StatusActive {
		t.Fatalf("reseller enables its subscriber: got %+v, %v", on, err)
	}
	banned := api.StatusBanned
	_, err = b.c1.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{Status: &banned, Version: on.Version})
	wantRefused(t, "reseller bans", err, "status")
	unchanged(t, b, "refused ban", on, credits(t, b, b.one.ID))

	sub, err = b.srv.Admin.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{Status: &banned, Version: on.Version})
	if err != nil {
		t.Fatal(err)
	}
	left := credits(t, b, b.one.ID)
	active, disabled := api.StatusActive, api.StatusDisabled
	_, err = b.c1.EnableSubscriber(ctx, sub.ID)
	wantRefused(t, "POST enable on a banned subscriber", err, "status")
	_, err = b.c1.DisableSubscriber(ctx, sub.ID)
	wantRefused(t, "POST disable on a banned subscriber", err, "status")
	_, err = b.c1.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{Status: &active, Version: sub.Version})
	wantRefused(t, "PATCH status active on a banned subscriber", err, "status")
	_, err = b.c1.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{Status: &disabled, Version: sub.Version})
	wantRefused(t, "PATCH status disabled on a banned subscriber", err, "status")
	wantRefused(t, "DELETE a banned subscriber", b.c1.DeleteSubscriber(ctx, sub.ID), "status")
	// Renaming it would free its login for a fresh, unbanned account as a
	// delete would; a new password would hand it to someone else.
	renamed, newPassword := sub.Login+"-old", "another-password"
	_, err = b.c1.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{Login: &renamed, Version: sub.Version})
	wantRefused(t, "PATCH login of a banned subscriber", err, "status")
	_, err = b.c1.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{Password: &newPassword, Version: sub.Version})
	wantRefused(t, "PATCH password of a banned subscriber", err, "status")
	unchanged(t, b, "refused unban", sub, left)
}

// TestResellerExtendBuysOnlyWhatItSells: an extension is paid for, with a
// package the reseller sells.
func TestResellerExtendBuysOnlyWhatItSells(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	sub := mine(t, b, "extended")
	left := credits(t, b, b.one.ID)
	_, err := b.c1.ExtendSubscriber(ctx, sub.ID, api.ExtendRequest{PackageID: b.other})
	wantRefused(t, "extend with a package not for sale", err, "package_id")
	_, err = b.c1.ExtendSubscriber(ctx, sub.ID, api.ExtendRequest{Days: 365})
	wantRefused(t, "extend by days", err, "days")
	unchanged(t, b, "refused extension", sub, left)
}

// TestResellerCreditsUnderParallelRequests spends credits from many
// requests at once: exactly as many purchases succeed as the credits pay
// for, the balance ends at zero, never below, and each extension counts.
func TestResellerCreditsUnderParallelRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t) // reseller one: 10 credits, the package costs 2
	ok := parallel(20, func(i int) error {
		_, err := b.c1.CreateSubscriber(ctx, api.Subscriber{Login: fmt.Sprintf("rush%d", i), Password: "pw",
			PackageIDs: []int64{b.pkg}})
		return err
	})
	if ok != 5 || credits(t, b, b.one.ID) != 0 {
		t.Errorf("20 parallel purchases on 10 credits at 2: got %d through and %v credits left, want 5 and 0",
			ok, credits(t, b, b.one.ID))
	}
	page, err := b.c1.Subscribers(ctx, api.SubscriberFilter{}, api.ListParams{Query: "rush"})
	if err != nil || len(page.Items) != 5 {
		t.Errorf("subscribers created: got %d, %v; want 5", len(page.Items), err)
	}

	sub := page.Items[0]
	if sub.ExpiresAt == nil {
		t.Fatalf("a bought subscriber never expires: %+v", sub)
	}
	if _, err := b.srv.Admin.ChangeResellerCredits(ctx, b.one.ID, api.CreditChange{DeltaMinor: 600, Reason: "top-up"}); err != nil {
		t.Fatal(err)
	}
	ok = parallel(10, func(int) error {
		_, err := b.c1.ExtendSubscriber(ctx, sub.ID, api.ExtendRequest{PackageID: b.pkg})
		return err
	})
	after, err := b.srv.Admin.Subscriber(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	gained := after.ExpiresAt.Sub(*sub.ExpiresAt)
	if ok != 3 || credits(t, b, b.one.ID) != 0 || gained < 90*24*time.Hour || gained > 90*24*time.Hour+time.Minute {
		t.Errorf("10 parallel extensions on 6 credits: got %d through, %v credits left, %v gained; want 3, 0 and 90 days",
			ok, credits(t, b, b.one.ID), gained)
	}
	logPage, err := b.c1.MyCreditLog(ctx, api.ListParams{})
	log := logPage.Items
	var sum int64
	for _, e := range log {
		sum += e.DeltaMinor
	}
	if err != nil || sum != 0 {
		t.Errorf("credit log: got entries summing to %v, %v; want 0 (the balance)", sum, err)
	}
}

// parallel runs fn n times at once and counts the calls that succeeded.
func parallel(n int, fn func(int) error) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if fn(i) == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	return ok
}

// TestResellerSessionLimitFromPackage: a package sold for three streams
// lets the reseller pick one to three, never more, never unlimited; an
// operator still may.
func TestResellerSessionLimitFromPackage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	family, err := b.srv.Admin.CreatePackage(ctx, api.Package{Name: "Family", PeriodDays: 7, MaxSessions: 3})
	if err != nil || family.MaxSessions != 3 {
		t.Fatalf("package for three streams: got %+v, %v", family, err)
	}
	price := []api.ResellerPackage{{PackageID: b.pkg, PriceCreditsMinor: 200}, {PackageID: family.ID, PriceCreditsMinor: 100}}
	if _, err := b.srv.Admin.UpdateReseller(ctx, b.one.ID, api.ResellerUpdate{Packages: &price, Version: b.one.Version}); err != nil {
		t.Fatal(err)
	}
	c := b.c1
	sub, err := c.CreateSubscriber(ctx, api.Subscriber{Login: "family", Password: "pw", PackageIDs: []int64{family.ID}})
	if err != nil || sub.MaxSessions != 3 {
		t.Fatalf("create with the family package: got %+v, %v; want 3 sessions", sub, err)
	}
	two, four, zero := 2, 4, 0
	sub, err = c.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{MaxSessions: &two, Version: sub.Version})
	if err != nil || sub.MaxSessions != 2 {
		t.Fatalf("lower to 2: got %+v, %v", sub, err)
	}
	_, err = c.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{MaxSessions: &four, Version: sub.Version})
	wantRefused(t, "raise to 4", err, "max_sessions")
	_, err = c.CreateSubscriber(ctx, api.Subscriber{Login: "greedy", Password: "pw", MaxSessions: 4, PackageIDs: []int64{family.ID}})
	wantRefused(t, "create with 4", err, "max_sessions")
	sub, err = b.srv.Admin.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{MaxSessions: &zero, Version: sub.Version})
	if err != nil || sub.MaxSessions != 0 {
		t.Errorf("operator sets no limit: got %+v, %v", sub, err)
	}
}
