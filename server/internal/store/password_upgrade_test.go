package store_test

import (
	"context"
	"testing"

	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

// TestPasswordUpgradeYieldsToAChange: an upgrade replaces only the hash it
// was made from, so a password changed between the sign-in and the write
// is kept; the subscriber's version moves so read models pick it up.
func TestPasswordUpgradeYieldsToAChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t)
	// A subscriber's hash is set by the store's hasher or by an import.
	rows := []store.ImportRow{{Line: 1, Login: "bob", PasswordHash: "old", Status: api.StatusActive}}
	if _, err := s.ImportSubscribers(ctx, admin, rows, store.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	bob, err := s.FindSubscriberByLogin(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	sub := bob.Subscriber
	adm, _, err := s.UpsertAdmin(ctx, admin, "root", api.RoleAdmin, "old")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.CreateReseller(ctx, admin, api.Reseller{Login: "shop", Name: "Shop", Status: api.ResellerActive}, "old")
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]func() string{
		"subscriber": func() string { c, _ := s.FindSubscriberByLogin(ctx, "bob"); return c.PasswordHash },
		"admin":      func() string { c, _ := s.FindAdminByLogin(ctx, "root"); return c.PasswordHash },
		"reseller":   func() string { c, _ := s.FindResellerByLogin(ctx, "shop"); return c.PasswordHash },
	}
	upgrade := map[string]func(old, new string) error{
		"subscriber": func(o, n string) error { return s.UpgradeSubscriberPassword(ctx, sub.ID, o, n) },
		"admin":      func(o, n string) error { return s.UpgradeAdminPassword(ctx, adm.ID, o, n) },
		"reseller":   func(o, n string) error { return s.UpgradeResellerPassword(ctx, res.ID, o, n) },
	}
	for kind, up := range upgrade {
		if err := up("changed-meanwhile", "new"); err != nil || stored[kind]() != "old" {
			t.Errorf("%s: upgrade from a hash it no longer has: %v, stored %q; want the stored hash kept", kind, err, stored[kind]())
		}
		if err := up("old", "new"); err != nil || stored[kind]() != "new" {
			t.Errorf("%s: upgrade: %v, stored %q; want new", kind, err, stored[kind]())
		}
	}
	after, err := s.FindSubscriberByID(ctx, sub.ID)
	if err != nil || after.Version <= sub.Version {
		t.Errorf("subscriber version after the upgrade: %d (before %d), %v; want it bumped", after.Version, sub.Version, err)
	}
}
