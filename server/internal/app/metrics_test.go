package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

// TestMetricsNeedAStaffToken: /metrics on the main listener told anyone
// the routes, the load and the play decisions. Without CANALE_METRICS_ADDR
// it now needs an admin's or operator's bearer token.
func TestMetricsNeedAStaffToken(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	if _, err := srv.Admin.CreateReseller(ctx, api.Reseller{Login: "shop", Password: "shop-password"}); err != nil {
		t.Fatal(err)
	}
	reseller := client.New(srv.URL, nil)
	if _, err := reseller.LoginReseller(ctx, "shop", "shop-password"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"Anonymous", "", http.StatusUnauthorized},
		{"WrongToken", "not-a-token", http.StatusUnauthorized},
		{"Reseller", reseller.Token(), http.StatusForbidden},
		{"Admin", srv.Admin.Token(), http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h []string
			if tc.token != "" {
				h = []string{"Authorization", "Bearer " + tc.token}
			}
			resp, body := get(t, srv.URL+"/metrics", h...)
			if resp.StatusCode != tc.status || strings.Contains(body, "go_goroutines") != (tc.status == http.StatusOK) {
				t.Errorf("got %d, metrics in the body: %v; want %d", resp.StatusCode, strings.Contains(body, "go_goroutines"), tc.status)
			}
		})
	}
}
