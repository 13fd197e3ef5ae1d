package store_test

import (
	"context"
	"testing"

	"canale/server/internal/store/storetest"
	"canale/shared/api"

	"github.com/google/go-cmp/cmp"
)

// TestFindResellersPages walks the reseller list one row a page, with a
// search and a status filter, as the keyset builder pages every list.
func TestFindResellersPages(t *testing.T) {
	t.Parallel()
	s := storetest.New(t)
	ctx := context.Background()
	actor := api.SystemActor("test")
	for _, r := range []api.Reseller{
		{Login: "alpha", Name: "Shop A", Status: api.ResellerActive},
		{Login: "beta", Name: "Shop B", Status: api.ResellerActive},
		{Login: "gamma", Name: "Alpine", Status: api.ResellerActive},
		{Login: "delta", Name: "Shop D", Status: api.ResellerDisabled},
	} {
		if _, err := s.CreateReseller(ctx, actor, r, "h"); err != nil {
			t.Fatal(err)
		}
	}
	walk := func(t *testing.T, f api.ResellerFilter, query string) []string {
		t.Helper()
		var logins []string
		p := api.ListParams{Limit: 1, Query: query}
		for range 10 {
			page, err := s.FindResellers(ctx, f, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Items {
				logins = append(logins, r.Login)
			}
			if p.Cursor = page.Next; p.Cursor == "" {
				return logins
			}
		}
		t.Fatal("no last page after 10")
		return nil
	}
	tests := []struct {
		name   string
		filter api.ResellerFilter
		query  string
		want   []string
	}{
		{"All", api.ResellerFilter{}, "", []string{"alpha", "beta", "gamma", "delta"}},
		{"LoginOrName", api.ResellerFilter{}, "al", []string{"alpha", "gamma"}},
		{"Status", api.ResellerFilter{Status: api.ResellerDisabled}, "", []string{"delta"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, walk(t, tt.filter, tt.query)); diff != "" {
				t.Errorf("logins (-want +got):\n%s", diff)
			}
		})
	}
}
