package store_test

import (
	"slices"
	"testing"

	"canale/server/internal/store/storetest"
	"canale/server/internal/subscriberview/viewtest"
	"canale/shared/api"
)

// TestDiscoveryTunerByLogin: LAN discovery reads a subscriber's tuner by
// login in any case, with their packages ascending (whatever order they
// were added in), so the announced tuners stay the same from one request
// to the next; a login nobody has is not_found.
func TestDiscoveryTunerByLogin(t *testing.T) {
	t.Parallel()
	s, dsn := storetest.NewWithDSN(t)
	viewtest.Seed(t, dsn)
	storetest.Exec(t, dsn, `INSERT INTO packages (id, name) VALUES (7, 'Sports'), (3, 'News')`)
	storetest.Exec(t, dsn, `INSERT INTO subscriber_packages (subscriber_id, package_id) VALUES (1, 7), (1, 3)`)
	ctx := t.Context()
	token, err := s.TunerToken(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.DiscoveryTunerByLogin(ctx, "ALICE")
	if err != nil || got.Token != token || !slices.Equal(got.PackageIDs, []int64{1, 3, 7}) {
		t.Errorf("alice's tuners: %+v, %v; want token %s and packages [1 3 7]", got, err, token)
	}
	if got, err := s.DiscoveryTunerByLogin(ctx, "bob"); err != nil || len(got.PackageIDs) != 0 || got.Token == "" {
		t.Errorf("bob's tuners: %+v, %v; want his token and no package", got, err)
	}
	if _, err := s.DiscoveryTunerByLogin(ctx, "nobody"); api.ErrorCode(err) != api.CodeNotFound {
		t.Errorf("unknown login: %v, want not_found", err)
	}
}
