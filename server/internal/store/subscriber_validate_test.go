package store_test

import (
	"context"
	"sync/atomic"
	"testing"

	"canale/server/internal/store"
	"canale/shared/api"
)

// countingHasher counts the passwords the store hashes.
type countingHasher struct{ runs atomic.Int64 }

func (h *countingHasher) Hash(_ context.Context, password string) (string, error) {
	h.runs.Add(1)
	return "counted$" + password, nil
}

// TestRefusedSubscriberWriteCostsNoHash: the store checks a subscriber's
// create or change before it hashes the password, so every refusal (a bad
// field, a stale version, a reseller's rule) costs no hash, and a write
// that passes costs exactly one.
func TestRefusedSubscriberWriteCostsNoHash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDealer(t, 10)
	h := &countingHasher{}
	f.s.HashPasswordsWith(h)
	rules := api.DefaultResellerRules(f.dealer.ID)
	rules.MinPasswordLength = 8
	rules.TrialsPerDay, rules.TrialsPerMonth, rules.TrialPackageID, rules.TrialHours = 5, 5, &f.trial, 3
	if _, err := f.s.SetResellerRules(ctx, admin, rules); err != nil {
		t.Fatal(err)
	}
	refused := []struct {
		name, field string
		write       func() error
	}{
		{"CreateBadStatus", "status", func() error {
			_, err := f.s.CreateSubscriber(ctx, admin, api.Subscriber{Login: "kim", Password: "kim-secret", Status: "bogus"})
			return err
		}},
		{"CreateBadLogin", "login", func() error {
			_, err := f.s.CreateSubscriber(ctx, admin, api.Subscriber{Login: "kim lee", Password: "kim-secret"})
			return err
		}},
		{"CreateShortPasswordForReseller", "password", func() error {
			_, err := f.s.CreateSubscriber(ctx, f.actor, api.Subscriber{Login: "kim", Password: "short", PackageIDs: []int64{f.pkg}})
			return err
		}},
		{"TrialShortPassword", "password", func() error {
			_, err := f.s.CreateTrial(ctx, f.actor, api.TrialRequest{Login: "kim", Password: "short"})
			return err
		}},
	}
	for _, tc := range refused {
		if err := tc.write(); fieldOf(err, tc.field) == "" {
			t.Errorf("%s: got %v, want a refusal naming %s", tc.name, err, tc.field)
		}
	}
	if n := h.runs.Load(); n != 0 {
		t.Fatalf("refused creations hashed %d passwords, want 0", n)
	}
	sub, err := f.s.CreateSubscriber(ctx, admin, api.Subscriber{Login: "kim", Password: "kim-secret"})
	if err != nil {
		t.Fatal(err)
	}
	if n := h.runs.Load(); n != 1 {
		t.Fatalf("one creation hashed %d passwords, want 1", n)
	}
	pw, bad, stale := "kim-secret-2", []string{"not-an-ip"}, sub.Version+1
	for _, tc := range []struct {
		name, field string
		upd         api.SubscriberUpdate
	}{
		{"BadAllowedIPs", "allowed_ips", api.SubscriberUpdate{Password: &pw, AllowedIPs: &bad, Version: sub.Version}},
		{"EmptyPassword", "password", api.SubscriberUpdate{Password: new(""), Version: sub.Version}},
		{"BadNewLogin", "login", api.SubscriberUpdate{Password: &pw, Login: new("kim/lee"), Version: sub.Version}},
		{"StaleVersion", "version", api.SubscriberUpdate{Password: &pw, Version: stale}},
	} {
		if _, err := f.s.UpdateSubscriber(ctx, admin, sub.ID, tc.upd); fieldOf(err, tc.field) == "" {
			t.Errorf("%s: got %v, want a refusal naming %s", tc.name, err, tc.field)
		}
	}
	if n := h.runs.Load(); n != 1 {
		t.Fatalf("refused changes hashed %d more passwords, want none", n-1)
	}
	if _, err := f.s.UpdateSubscriber(ctx, admin, sub.ID, api.SubscriberUpdate{Password: &pw, Version: sub.Version}); err != nil {
		t.Fatal(err)
	}
	creds, err := f.s.FindSubscriberByLogin(ctx, "kim")
	if err != nil || creds.PasswordHash != "counted$"+pw || h.runs.Load() != 2 {
		t.Errorf("new password: got hash %q after %d runs, %v; want %q after 2", creds.PasswordHash, h.runs.Load(), err, "counted$"+pw)
	}
}

// TestImportedLoginStaysEditable: a login an XC panel allowed but Canale
// would not give (spaces, a slash) does not block changes to the
// subscriber's other fields, nor sending it back unchanged; changing it to
// another such login is refused naming login.
func TestImportedLoginStaysEditable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDealer(t, 10)
	const odd = "old panel/line "
	rows := []store.ImportRow{{Line: 1, Login: odd, PasswordHash: "imported", Status: api.StatusActive}}
	if rep, err := f.s.ImportSubscribers(ctx, admin, rows, store.ImportOptions{}); err != nil || rep.Created != 1 {
		t.Fatalf("import: got %+v, %v", rep, err)
	}
	creds, err := f.s.FindSubscriberByLogin(ctx, odd)
	if err != nil {
		t.Fatal(err)
	}
	sub := creds.Subscriber
	sub, err = f.s.UpdateSubscriber(ctx, admin, sub.ID, api.SubscriberUpdate{Name: new("Renamed"), Notes: new("from XC"), Version: sub.Version})
	if err != nil || sub.Name != "Renamed" || sub.Login != odd {
		t.Fatalf("rename: got %+v, %v; want the name changed and the login kept", sub, err)
	}
	login := odd // as a form sends every field back
	sub, err = f.s.UpdateSubscriber(ctx, admin, sub.ID, api.SubscriberUpdate{Login: &login, MaxSessions: new(2), Version: sub.Version})
	if err != nil || sub.MaxSessions != 2 {
		t.Fatalf("the login sent back unchanged: got %+v, %v", sub, err)
	}
	if sub, err = f.s.ExtendSubscriber(ctx, admin, sub.ID, api.ExtendRequest{Days: 30}); err != nil {
		t.Fatalf("extend: %v", err)
	}
	_, err = f.s.UpdateSubscriber(ctx, admin, sub.ID, api.SubscriberUpdate{Login: new("other panel/line"), Version: sub.Version})
	if got := fieldOf(err, "login"); got != "must not contain spaces or any of / ? # & %" {
		t.Errorf("a new odd login: got %v (login: %q), want it refused naming login", err, got)
	}
	sub, err = f.s.UpdateSubscriber(ctx, admin, sub.ID, api.SubscriberUpdate{Login: new("panel-line"), Version: sub.Version})
	if err != nil || sub.Login != "panel-line" {
		t.Errorf("a good new login: got %+v, %v", sub, err)
	}
}
