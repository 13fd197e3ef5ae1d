package ui

import (
	"testing"

	"canale/server/servertest"
	"canale/shared/api"
)

// TestResetReloadsPackages: a change of every entity (a setup reset, a
// seed, an import) reloads the packages screen, which once matched only
// its own entity and so kept showing what the reset had replaced.
func TestResetReloadsPackages(t *testing.T) {
	f := setup(t)
	if _, err := f.srv.Admin.CreatePackage(ctx(t), api.Package{Name: "Sports"}); err != nil {
		t.Fatal(err)
	}
	f.signIn(t, "admin", servertest.AdminPassword)
	s := screenOf[*packagesScreen](t, f)
	reset, err := api.NewEvent(api.EventChange, api.Change{Entity: api.EntityAll, Op: api.OpReset})
	if err != nil {
		t.Fatal(err)
	}
	f.ui(func() {
		if len(s.pkgs) != 1 {
			t.Fatalf("got packages %+v, want Sports", s.pkgs)
		}
		s.pkgs = nil // what the screen showed is stale; only a reload brings Sports back
		f.w.onEvent(reset)
	})
	f.w.pending.Wait()
	f.ui(func() {
		if len(s.pkgs) != 1 || s.pkgs[0].Name != "Sports" {
			t.Errorf("after a reset event: got packages %+v, want Sports reloaded", s.pkgs)
		}
	})
}
