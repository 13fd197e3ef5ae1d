package store_test

import (
	"context"
	"fmt"
	"testing"

	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

// TestRefundsCannotMintCredits sells lines at the smallest price, 0.01,
// and deletes each with half its period left: half a minor unit is
// rounded down, so a reseller who sells and deletes over and over only
// ever pays, never gains.
func TestRefundsCannotMintCredits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDealer(t, 1) // 1.00 credit
	storetest.Exec(t, f.dsn, `UPDATE reseller_packages SET price_credits = 0.01 WHERE reseller_id = $1`, f.dealer.ID)
	rules := api.DefaultResellerRules(f.dealer.ID)
	rules.RefundUnusedOnDelete = true
	if _, err := f.s.SetResellerRules(ctx, admin, rules); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		sub, err := f.s.CreateSubscriber(ctx, f.actor, api.Subscriber{Login: fmt.Sprintf("churn%d", i), Password: "pw",
			PackageIDs: []int64{f.pkg}})
		if err != nil {
			t.Fatal(err)
		}
		storetest.Exec(t, f.dsn, `UPDATE subscribers SET expires_at = now() + interval '15 days' WHERE id = $1`, sub.ID)
		if err := f.s.DeleteSubscriber(ctx, f.actor, sub.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.credits(t, f.dealer.ID); got != 90 {
		t.Errorf("after 10 sales at 0.01 each refunded half: got %d, want 90 (0.90: halves of a cent round down)", got)
	}
	logPage, err := f.s.FindCreditLog(ctx, f.dealer.ID, api.ListParams{Limit: 100})
	log := logPage.Items
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, e := range log {
		sum += e.DeltaMinor
		if e.BalanceBeforeMinor+e.DeltaMinor != e.BalanceAfterMinor {
			t.Errorf("log row %d: %d + %d != %d", e.ID, e.BalanceBeforeMinor, e.DeltaMinor, e.BalanceAfterMinor)
		}
	}
	if sum != 90 {
		t.Errorf("credit log sums to %d, want the balance, 90", sum)
	}
}
