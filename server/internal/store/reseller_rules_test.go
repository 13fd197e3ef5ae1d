package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

// dealerFixture is a reseller selling one package at price 1.
type dealerFixture struct {
	s      *store.Store
	dsn    string
	pkg    int64
	trial  int64
	dealer api.Reseller
	actor  api.Actor
}

// newDealer makes a reseller with credits whole credits, selling f.pkg at 1.
func newDealer(t *testing.T, credits int64) dealerFixture {
	t.Helper()
	dsn := storetest.DSN(t)
	f := dealerFixture{s: storetest.Open(t, dsn), dsn: dsn}
	f.pkg = mustPackage(t, dsn, "Month", 30)
	f.trial = mustPackage(t, dsn, "Trial", 1)
	var err error
	f.dealer, err = f.s.CreateReseller(context.Background(), admin, api.Reseller{Login: "dealer", CreditsMinor: credits * api.CreditsScale,
		Packages: []api.ResellerPackage{{PackageID: f.pkg, PriceCreditsMinor: 100}}}, "h")
	if err != nil {
		t.Fatal(err)
	}
	f.actor = api.Actor{Kind: api.KindReseller, ID: f.dealer.ID, Login: "dealer", ClientIP: "198.51.100.7"}
	return f
}

// credits returns reseller id's balance in minor units.
func (f dealerFixture) credits(t *testing.T, id int64) int64 {
	t.Helper()
	r, err := f.s.FindResellerByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r.CreditsMinor
}

// TestHundredCreationsForSixtyCredits races 100 line creations against
// credits that pay for exactly 60.
func TestHundredCreationsForSixtyCredits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDealer(t, 60)
	var wg sync.WaitGroup
	errs := make([]error, 100)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.s.CreateSubscriber(ctx, f.actor, api.Subscriber{Login: fmt.Sprintf("line%03d", i),
				Password: "secret", PackageIDs: []int64{f.pkg}})
		}()
	}
	wg.Wait()
	created, short := 0, 0
	for _, err := range errs {
		switch api.ErrorCode(err) {
		case "":
			created++
		case api.CodeConflict:
			short++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if created != 60 || short != 40 {
		t.Errorf("got %d created and %d refused, want 60 and 40", created, short)
	}
	if c := f.credits(t, f.dealer.ID); c != 0 {
		t.Errorf("balance: got %v, want 0", c)
	}
	logPage, err := f.s.FindCreditLog(ctx, f.dealer.ID, api.ListParams{Limit: 1000})
	log := logPage.Items
	if err != nil {
		t.Fatal(err)
	}
	debits := 0
	for _, e := range log {
		if e.DeltaMinor < 0 {
			debits++
			if e.BalanceBeforeMinor+e.DeltaMinor != e.BalanceAfterMinor {
				t.Errorf("log row %d: before %v + delta %v != after %v", e.ID, e.BalanceBeforeMinor, e.DeltaMinor, e.BalanceAfterMinor)
			}
		}
	}
	if debits != 60 {
		t.Errorf("debit log rows: got %d, want 60", debits)
	}
	var lines int
	storetest.QueryRow(t, f.dsn, `SELECT count(*) FROM subscribers WHERE reseller_id = $1`, []any{f.dealer.ID}, &lines)
	if lines != 60 {
		t.Errorf("lines: got %d, want 60", lines)
	}
}

func TestTrialQuotaAndConversion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDealer(t, 5)
	if _, err := f.s.CreateTrial(ctx, f.actor, api.TrialRequest{Password: "pw-long-enough", Login: "try0"}); api.ErrorCode(err) != api.CodeForbidden {
		t.Fatalf("trial without rules: got %v, want forbidden", err)
	}
	rules := api.DefaultResellerRules(f.dealer.ID)
	rules.TrialsPerDay, rules.TrialsPerMonth, rules.TrialPackageID, rules.TrialHours = 3, 10, &f.trial, 6
	if _, err := f.s.SetResellerRules(ctx, admin, rules); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 10)
	subs := make([]api.Subscriber, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			subs[i], errs[i] = f.s.CreateTrial(ctx, f.actor, api.TrialRequest{Password: "pw-long-enough", Login: fmt.Sprintf("try%d", i+1)})
		}()
	}
	wg.Wait()
	var made []api.Subscriber
	for i, err := range errs {
		switch {
		case err == nil:
			made = append(made, subs[i])
		case api.ErrorCode(err) != api.CodeConflict || errorFields(err)["trials_per_day"] == "":
			t.Errorf("trial %d: got %v, want a conflict naming trials_per_day", i, err)
		}
	}
	if len(made) != 3 {
		t.Fatalf("trials made: got %d, want the quota of 3", len(made))
	}
	tr := made[0]
	left := time.Until(*tr.ExpiresAt)
	if !tr.Trial || left < 5*time.Hour || left > 6*time.Hour || len(tr.PackageIDs) != 1 || tr.PackageIDs[0] != f.trial {
		t.Errorf("trial: got trial=%v, expiry in %v, packages %v; want a flagged 6-hour line on the trial package",
			tr.Trial, left, tr.PackageIDs)
	}
	if c := f.credits(t, f.dealer.ID); c != 500 {
		t.Errorf("credits after trials: got %v, want 500 (5.00; trials are free)", c)
	}
	if _, err := f.s.UpdateSubscriber(ctx, f.actor, made[1].ID, api.SubscriberUpdate{Trial: new(false), Version: made[1].Version}); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("clearing the trial flag by PATCH: got %v, want forbidden", err)
	}
	if _, err := f.s.CreateSubscriber(ctx, f.actor, api.Subscriber{Password: "pw-long-enough", Login: "sneaky", Trial: true, PackageIDs: []int64{f.pkg}}); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("a trial through create: got %v, want forbidden", err)
	}
	paid, err := f.s.ExtendSubscriber(ctx, f.actor, tr.ID, api.ExtendRequest{PackageID: f.pkg})
	if err != nil {
		t.Fatal(err)
	}
	days := time.Until(*paid.ExpiresAt).Hours() / 24
	if paid.Trial || days < 29.9 || days > 30 || len(paid.PackageIDs) != 1 || paid.PackageIDs[0] != f.pkg {
		t.Errorf("converted: got trial=%v, %.2f days, packages %v; want paid, 30 days from now, the bought package only",
			paid.Trial, days, paid.PackageIDs)
	}
	if c := f.credits(t, f.dealer.ID); c != 400 {
		t.Errorf("credits after conversion: got %v, want 400 (4.00)", c)
	}
}

func TestCredentialLengthsRefundAndKill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDealer(t, 10)
	rules := api.DefaultResellerRules(f.dealer.ID)
	rules.MinLoginLength, rules.MinPasswordLength, rules.RefundUnusedOnDelete = 6, 8, true
	if _, err := f.s.SetResellerRules(ctx, admin, rules); err != nil {
		t.Fatal(err)
	}
	_, err := f.s.CreateSubscriber(ctx, f.actor, api.Subscriber{Login: "short", Password: "longenough", PackageIDs: []int64{f.pkg}})
	if errorFields(err)["login"] == "" {
		t.Errorf("short login: got %v, want an error naming login", err)
	}
	_, err = f.s.CreateSubscriber(ctx, f.actor, api.Subscriber{Login: "longlogin", Password: "short", PackageIDs: []int64{f.pkg}})
	if errorFields(err)["password"] == "" {
		t.Errorf("short password: got %v, want an error naming password", err)
	}
	sub, err := f.s.CreateSubscriber(ctx, f.actor, api.Subscriber{Login: "longlogin", Password: "longenough", PackageIDs: []int64{f.pkg}})
	if err != nil {
		t.Fatal(err)
	}
	short := "abc"
	if _, err := f.s.UpdateSubscriber(ctx, f.actor, sub.ID, api.SubscriberUpdate{Password: &short, Version: sub.Version}); errorFields(err)["password"] == "" {
		t.Errorf("short new password: got %v, want an error naming password", err)
	}

	var sessionID int64
	storetest.QueryRow(t, f.dsn, `INSERT INTO play_sessions (session_id, subscriber_id, name, expires_at)
		VALUES ('s1', $1, 'news', now() + interval '1 minute') RETURNING id`, []any{sub.ID}, &sessionID)
	if _, err := f.s.KillPlaySession(ctx, f.actor, sessionID); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("kill without the rule: got %v, want forbidden", err)
	}
	rules.MayKillConnections = true
	if _, err := f.s.SetResellerRules(ctx, admin, rules); err != nil {
		t.Fatal(err)
	}
	other, err := f.s.CreateSubscriber(ctx, admin, api.Subscriber{Password: "pw-long-enough", Login: "operators"})
	if err != nil {
		t.Fatal(err)
	}
	var otherSession int64
	storetest.QueryRow(t, f.dsn, `INSERT INTO play_sessions (session_id, subscriber_id, name, expires_at)
		VALUES ('s2', $1, 'news', now() + interval '1 minute') RETURNING id`, []any{other.ID}, &otherSession)
	if _, err := f.s.KillPlaySession(ctx, f.actor, otherSession); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("kill of the operator's customer: got %v, want not_found", err)
	}
	if killed, err := f.s.KillPlaySession(ctx, f.actor, sessionID); err != nil || killed.CloseReason != "killed" {
		t.Errorf("kill of own customer: got %+v, %v", killed, err)
	}

	// Half the period left: half the price back, logged.
	storetest.Exec(t, f.dsn, `UPDATE subscribers SET expires_at = now() + interval '15 days' WHERE id = $1`, sub.ID)
	before := f.credits(t, f.dealer.ID)
	if err := f.s.DeleteSubscriber(ctx, f.actor, sub.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.credits(t, f.dealer.ID) - before; got < 49 || got > 50 {
		t.Errorf("refund: got %v, want 49..50 (0.49..0.50)", got)
	}
}

func TestSubResellerTree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDealer(t, 100)
	if _, err := f.s.CreateSubReseller(ctx, f.actor, api.Reseller{Login: "kid", Password: "pw"}, "h"); api.ErrorCode(err) != api.CodeForbidden {
		t.Fatalf("sub-reseller without the rule: got %v, want forbidden", err)
	}
	rules := api.DefaultResellerRules(f.dealer.ID)
	rules.MayCreateResellers, rules.MaxDepth, rules.DNS = true, 2, "tv.dealer.example"
	if _, err := f.s.SetResellerRules(ctx, admin, rules); err != nil {
		t.Fatal(err)
	}
	cheap := []api.ResellerPackage{{PackageID: f.pkg, PriceCreditsMinor: 50}}
	if _, err := f.s.CreateSubReseller(ctx, f.actor, api.Reseller{Login: "kid", Password: "pw", Packages: cheap}, "h"); errorFields(err)["packages"] == "" {
		t.Errorf("price below the parent's: got %v, want an error naming packages", err)
	}
	notSold := []api.ResellerPackage{{PackageID: f.trial, PriceCreditsMinor: 500}}
	if _, err := f.s.CreateSubReseller(ctx, f.actor, api.Reseller{Login: "kid", Password: "pw", Packages: notSold}, "h"); errorFields(err)["packages"] == "" {
		t.Errorf("a package the parent does not sell: got %v, want an error naming packages", err)
	}
	kid, err := f.s.CreateSubReseller(ctx, f.actor, api.Reseller{Login: "kid", Password: "pw", CreditsMinor: 3000,
		Packages: []api.ResellerPackage{{PackageID: f.pkg, PriceCreditsMinor: 150}}}, "h")
	if err != nil {
		t.Fatal(err)
	}
	if kid.CreditsMinor != 3000 || f.credits(t, f.dealer.ID) != 7000 || *kid.ParentID != f.dealer.ID {
		t.Errorf("opening transfer: kid has %v, parent %v; want 3000 and 7000", kid.CreditsMinor, f.credits(t, f.dealer.ID))
	}
	kidRules, _ := f.s.FindResellerRules(ctx, kid.ID)
	if !kidRules.MayCreateResellers || kidRules.MaxDepth != 1 || kidRules.DNS != rules.DNS || kidRules.TrialsPerDay != 0 {
		t.Errorf("inherited rules: got %+v, want depth 1, the parent's DNS, no trials", kidRules)
	}
	kidActor := api.Actor{Kind: api.KindReseller, ID: kid.ID, Login: "kid"}
	grandkid, err := f.s.CreateSubReseller(ctx, kidActor, api.Reseller{Login: "grandkid", Password: "pw",
		Packages: []api.ResellerPackage{{PackageID: f.pkg, PriceCreditsMinor: 200}}}, "h")
	if err != nil {
		t.Fatal(err)
	}
	gkActor := api.Actor{Kind: api.KindReseller, ID: grandkid.ID, Login: "grandkid"}
	if _, err := f.s.CreateSubReseller(ctx, gkActor, api.Reseller{Login: "toodeep", Password: "pw"}, "h"); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("below max depth: got %v, want forbidden", err)
	}

	// Transfers both ways are exact and logged on both sides.
	if _, err := f.s.TransferCredits(ctx, f.actor, kid.ID, api.CreditTransfer{DeltaMinor: 1225}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.TransferCredits(ctx, f.actor, kid.ID, api.CreditTransfer{DeltaMinor: -225}); err != nil {
		t.Fatal(err)
	}
	if p, k := f.credits(t, f.dealer.ID), f.credits(t, kid.ID); p != 6000 || k != 4000 {
		t.Errorf("after transfers: parent %v, kid %v; want 6000 and 4000", p, k)
	}
	if _, err := f.s.TransferCredits(ctx, f.actor, kid.ID, api.CreditTransfer{DeltaMinor: -4001}); api.ErrorCode(err) != api.CodeConflict {
		t.Errorf("taking back more than the kid has: got %v, want conflict", err)
	}
	// The grandchild is in the subtree but not a direct child: read, not changed.
	if _, err := f.s.TransferCredits(ctx, f.actor, grandkid.ID, api.CreditTransfer{DeltaMinor: 100}); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("transfer to a grandchild: got %v, want not_found", err)
	}
	if _, err := f.s.FindSubtreeReseller(ctx, f.actor, grandkid.ID); err != nil {
		t.Errorf("reading a grandchild: %v", err)
	}
	// Upwards and sideways is outside the subtree.
	stranger, err := f.s.CreateReseller(ctx, admin, api.Reseller{Login: "stranger", CreditsMinor: 500}, "h")
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]int64{"parent": f.dealer.ID, "stranger": stranger.ID} {
		if _, err := f.s.FindSubtreeReseller(ctx, kidActor, id); api.ErrorCode(err) != api.CodeNotFound {
			t.Errorf("kid reads its %s: got %v, want not_found", name, err)
		}
		if _, err := f.s.FindSubtreeLines(ctx, kidActor, id, api.ListParams{}); api.ErrorCode(err) != api.CodeNotFound {
			t.Errorf("kid lists its %s's lines: got %v, want not_found", name, err)
		}
		if _, err := f.s.TransferCredits(ctx, kidActor, id, api.CreditTransfer{DeltaMinor: -100}); api.ErrorCode(err) != api.CodeNotFound {
			t.Errorf("kid takes credits from its %s: got %v, want not_found", name, err)
		}
		if _, err := f.s.SetSubResellerPackages(ctx, kidActor, id, nil); api.ErrorCode(err) != api.CodeNotFound {
			t.Errorf("kid sets its %s's packages: got %v, want not_found", name, err)
		}
	}
	line, err := f.s.CreateSubscriber(ctx, kidActor, api.Subscriber{Password: "pw-long-enough", Login: "kidline", PackageIDs: []int64{f.pkg}})
	if err != nil {
		t.Fatal(err)
	}
	if k := f.credits(t, kid.ID); k != 3850 {
		t.Errorf("kid's credits after selling at its price 1.50: got %v, want 3850 (38.50)", k)
	}
	page, err := f.s.FindSubtreeLines(ctx, f.actor, kid.ID, api.ListParams{})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != line.ID {
		t.Errorf("parent reads its kid's lines: got %+v, %v", page.Items, err)
	}
	if _, err := f.s.UpdateSubscriber(ctx, f.actor, line.ID, api.SubscriberUpdate{Notes: new("mine"), Version: line.Version}); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("parent changes its kid's line: got %v, want not_found (read-only)", err)
	}
	activityPage, err := f.s.FindResellerActivity(ctx, f.dealer.ID, api.ListParams{Limit: 100})
	activity := activityPage.Items
	if err != nil || len(activity) == 0 || activity[0].ClientIP != "198.51.100.7" {
		t.Errorf("activity: got %+v, %v; want the dealer's actions with its address", activity, err)
	}
}

// errorFields returns the fields an *api.Error names, or nil.
func errorFields(err error) map[string]string {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
