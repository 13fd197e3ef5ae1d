package adminapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"canale/server/internal/adminapi"
	"canale/server/internal/credential"
	"canale/server/internal/store/storetest"
	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var pathParam = regexp.MustCompile(`[:*][a-zA-Z_]+`)

// apiRoutes lists every route of the engine under /api/v1 with its
// parameters filled in, so routes added later are covered automatically.
func apiRoutes(t *testing.T, srv *testserver.Server) [][2]string {
	var out [][2]string
	for _, r := range srv.App.Engine().Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			out = append(out, [2]string{r.Method, pathParam.ReplaceAllString(r.Path, "1")})
		}
	}
	if len(out) < 3 {
		t.Fatalf("found %d /api/v1 routes; the walk is not seeing the router", len(out))
	}
	return out
}

func status(t *testing.T, method, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestEveryRouteNeedsAToken(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	for _, r := range apiRoutes(t, srv) {
		if r[1] == "/api/v1/auth/login" {
			continue
		}
		if r[0]+" "+r[1] == "GET /api/v1/openapi.json" { // public: it documents the API, it is no secret
			if got := status(t, r[0], srv.URL+r[1], ""); got != http.StatusOK {
				t.Errorf("%s %s without a token: got %d, want 200", r[0], r[1], got)
			}
			continue
		}
		for _, tok := range []string{"", "not-a-token"} {
			if got := status(t, r[0], srv.URL+r[1], tok); got != http.StatusUnauthorized {
				t.Errorf("%s %s with token %q: got %d, want 401", r[0], r[1], tok, got)
			}
		}
	}
}

// operatorMay are the only non-GET routes an operator may call: seeing to
// alerts changes nothing a viewer or a streamer sees, and its own sign-in is
// its own.
var operatorMay = map[string]bool{"POST /api/v1/alerts/ack": true,
	// Every staff account manages its own password and second factor.
	"POST /api/v1/me/password": true, "POST /api/v1/me/totp": true,
	"POST /api/v1/me/totp/confirm": true, "DELETE /api/v1/me/totp": true}

func TestOperatorCannotWrite(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "operator-password")
	op := srv.SignIn(t, "noc", "operator-password")
	writes := 0
	for _, r := range apiRoutes(t, srv) {
		if r[0] == http.MethodGet || r[0] == http.MethodHead || strings.HasPrefix(r[1], "/api/v1/auth/") {
			continue
		}
		got := status(t, r[0], srv.URL+r[1], op.Token())
		if operatorMay[r[0]+" "+r[1]] {
			if got == http.StatusForbidden {
				t.Errorf("operator %s %s: got 403; the NOC's role may do this", r[0], r[1])
			}
			continue
		}
		writes++
		if got != http.StatusForbidden {
			t.Errorf("operator %s %s: got %d, want 403", r[0], r[1], got)
		}
	}
	me, err := op.Me(context.Background())
	if err != nil || me.Admin.Role != api.RoleOperator {
		t.Errorf("operator reads /me: got %+v, %v", me, err)
	}
	t.Logf("checked %d write routes", writes)
}

func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	c := client.New(srv.URL, nil)
	_, errUnknown := c.Login(context.Background(), "nobody", "whatever-password")
	_, errWrong := c.Login(context.Background(), "admin", "wrong-password")
	for name, err := range map[string]error{"unknown login": errUnknown, "wrong password": errWrong} {
		if api.ErrorCode(err) != api.CodeUnauthorized {
			t.Errorf("%s: got %v, want unauthorized", name, err)
		}
	}
	if errUnknown.Error() != errWrong.Error() {
		t.Errorf("answers differ: %q vs %q; they must not reveal which accounts exist", errUnknown, errWrong)
	}
}

// TestLoginRateLimit: five failures on an account stop the address that
// made them, for that account, even with the right password, unless that
// password was already used from there: the owner's remembered password
// comes before any limit. Another account from the same address is still
// allowed (the per-address budget is larger).
func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	testserver.CreateAdmin(t, srv.Store, "fresh", api.RoleAdmin, "fresh-password")
	c := client.New(srv.URL, nil)
	ctx := context.Background()
	for _, login := range []string{"fresh", "admin"} {
		for i := 0; i < 5; i++ {
			if _, err := c.Login(ctx, login, "wrong"); api.ErrorCode(err) != api.CodeUnauthorized {
				t.Fatalf("%s attempt %d: got %v, want unauthorized", login, i+1, err)
			}
		}
	}
	_, err := c.Login(ctx, "fresh", "fresh-password")
	if api.ErrorCode(err) != api.CodeRateLimited {
		t.Fatalf("6th attempt with the right password: got %v, want rate_limited", err)
	}
	if _, err := c.Login(ctx, "admin", testserver.AdminPassword); err != nil {
		t.Errorf("6th attempt with the password already used from this address: got %v, want success", err)
	}
	testserver.CreateAdmin(t, srv.Store, "other", api.RoleAdmin, "other-password")
	if _, err := c.Login(ctx, "other", "other-password"); err != nil {
		t.Errorf("other account: got %v, want success", err)
	}
}

func TestLoginRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	testserver.CreateAdmin(t, srv.Store, "fresh", api.RoleAdmin, "fresh-password")
	c := client.New(srv.URL, nil)
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		_, _ = c.Login(ctx, "user"+string(rune('a'+i)), "wrong")
	}
	if _, err := c.Login(ctx, "fresh", "fresh-password"); api.ErrorCode(err) != api.CodeRateLimited {
		t.Errorf("after 20 failures from one address: got %v, want rate_limited", err)
	}
}

// TestLongLoginIsRefusedUncounted: a 60 KB login, longer than any account's,
// is refused as invalid before the sign-in guard, so it is never kept as a
// counter key: twenty of them leave the address's budget whole.
func TestLongLoginIsRefusedUncounted(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	testserver.CreateAdmin(t, srv.Store, "fresh", api.RoleAdmin, "fresh-password")
	c := client.New(srv.URL, nil)
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		long := strings.Repeat(string(rune('a'+i)), 60<<10)
		for _, as := range []string{api.KindAdmin, api.KindReseller} {
			_, err := c.SignIn(ctx, api.LoginRequest{Login: long, Password: "wrong", As: as})
			var apiErr *api.Error
			if !errors.As(err, &apiErr) || apiErr.Code != api.CodeInvalid || apiErr.Fields["login"] == "" {
				t.Fatalf("60 KB %s login: got %v, want invalid naming login", as, err)
			}
		}
	}
	if _, err := c.Login(ctx, "fresh", "fresh-password"); err != nil {
		t.Errorf("after 40 refused long logins from this address: got %v, want success (they must not be counted)", err)
	}
}

func TestLogoutRevokes(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	c := srv.SignIn(t, "admin", testserver.AdminPassword)
	tok := c.Token()
	if err := c.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.SetToken(tok)
	if _, err := c.Me(context.Background()); api.ErrorCode(err) != api.CodeUnauthorized {
		t.Errorf("after logout: got %v, want unauthorized", err)
	}
	if _, err := srv.Admin.Me(context.Background()); err != nil {
		t.Errorf("another session of the same admin: got %v, want still signed in", err)
	}
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	creds, err := srv.Store.FindAdminByLogin(context.Background(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	tok := credential.NewToken()
	if err := srv.Store.CreateAdminToken(context.Background(), creds.Admin.ID, credential.HashToken(tok),
		time.Now().Add(-time.Minute), "", ""); err != nil {
		t.Fatal(err)
	}
	c := client.New(srv.URL, nil)
	c.SetToken(tok)
	if _, err := c.Me(context.Background()); api.ErrorCode(err) != api.CodeUnauthorized {
		t.Errorf("expired token: got %v, want unauthorized", err)
	}
	me, err := srv.Admin.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(me.TokenExpires); d < 11*time.Hour || d > 13*time.Hour {
		t.Errorf("fresh token expires in %v, want about the 12h default", d)
	}
}

func TestValidationNamesFields(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	_, err := client.New(srv.URL, nil).Login(context.Background(), "", "")
	var e *api.Error
	if api.ErrorCode(err) != api.CodeInvalid {
		t.Fatalf("got %v, want invalid", err)
	}
	e = err.(*api.Error)
	if e.Fields["login"] == "" || e.Fields["password"] == "" {
		t.Errorf("fields: got %v, want login and password named", e.Fields)
	}
}

func TestAuditListsSetup(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	entriesPage, err := srv.Admin.Audit(context.Background(), api.AuditFilter{Entity: "admin"}, api.ListParams{})
	entries := entriesPage.Items
	if err != nil || len(entries) == 0 || entries[0].Action != "create" {
		t.Fatalf("audit: got %+v, %v; want the admin creation", entries, err)
	}
}

// TestOversizedBodyIsRefused sends the open sign-in route a body past
// MaxJSONBytes: it is refused with a clear error, not read into memory.
func TestOversizedBodyIsRefused(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	body := `{"login":"admin","password":"` + strings.Repeat("x", adminapi.MaxJSONBytes) + `"}`
	resp, err := http.Post(srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "request body larger than") {
		t.Errorf("oversized sign-in: %d %s, want 400 naming the size", resp.StatusCode, b)
	}
}
