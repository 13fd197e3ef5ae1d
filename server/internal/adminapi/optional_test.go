package adminapi_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"canale/server/internal/adminapi"
	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"

	"github.com/gin-gonic/gin"
)

// TestRoutesWithoutOptionalServicesAnswerUnavailable mounts the admin API
// with none of its optional services (sessions, alerts, backups, fleet,
// devices): every one of their routes is still there, still asks for a
// token, and answers a signed-in admin "unavailable", never a 404 that a
// client would read as a wrong URL.
func TestRoutesWithoutOptionalServicesAnswerUnavailable(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	s := srv.Store
	bare := adminapi.New(adminapi.Deps{Auth: s, Staff: s, Audit: s, Catalog: s, Subscribers: s, Resellers: s, EPG: s})
	engine := gin.New()
	bare.Register(engine.Group("/api/v1"))
	hs := httptest.NewServer(engine)
	t.Cleanup(hs.Close)

	ctx := context.Background()
	admin := client.New(hs.URL, nil)
	if _, err := admin.Login(ctx, "admin", testserver.AdminPassword); err != nil {
		t.Fatal(err)
	}
	calls := map[string]func() error{
		"GET /sessions":   func() error { _, err := admin.PlaySessions(ctx, api.PlaySessionFilter{}, api.ListParams{}); return err },
		"GET /alerts":     func() error { _, err := admin.Alerts(ctx); return err },
		"GET /backups":    func() error { _, err := admin.Backups(ctx); return err },
		"GET /fleet":      func() error { _, err := admin.Fleet(ctx); return err },
		"GET /placements": func() error { _, err := admin.Placements(ctx); return err },
		"GET /devices":    func() error { _, err := admin.Devices(ctx, 1); return err },
	}
	for name, call := range calls {
		if err := call(); api.ErrorCode(err) != api.CodeUnavailable {
			t.Errorf("%s without its service: got %v, want unavailable", name, err)
		}
	}
	for _, path := range []string{"/sessions", "/alerts", "/backups", "/fleet", "/devices"} {
		if got := status(t, "GET", hs.URL+"/api/v1"+path, ""); got != 401 {
			t.Errorf("GET %s without a token: got %d, want 401", path, got)
		}
	}
}
