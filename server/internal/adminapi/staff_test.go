package adminapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"

	"github.com/pquerna/otp/totp"
)

func TestStaffLifecycle(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	op, err := srv.Admin.CreateAdmin(ctx, api.AdminCreate{Login: "noc", Password: "noc-password-1", Role: api.RoleOperator})
	if err != nil || op.Role != api.RoleOperator || op.Disabled {
		t.Fatalf("create operator: got %+v, %v", op, err)
	}
	_, err = srv.Admin.CreateAdmin(ctx, api.AdminCreate{Login: "NOC", Password: "noc-password-1", Role: api.RoleOperator})
	wantCode(t, "duplicate login", err, api.CodeConflict, "")
	_, err = srv.Admin.CreateAdmin(ctx, api.AdminCreate{Login: "x", Password: "short", Role: "root"})
	wantCode(t, "bad fields", err, api.CodeInvalid, "password")
	wantCode(t, "bad fields", err, api.CodeInvalid, "role")

	noc := srv.SignIn(t, "noc", "noc-password-1")
	if list, err := noc.Admins(ctx); err != nil || len(list) != 2 {
		t.Errorf("operator lists staff: got %+v, %v; want admin and noc", list, err)
	}
	_, err = noc.CreateAdmin(ctx, api.AdminCreate{Login: "sneaky", Password: "sneaky-password", Role: api.RoleAdmin})
	wantCode(t, "operator creates staff", err, api.CodeForbidden, "")

	if _, err := srv.Admin.DisableAdmin(ctx, op.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := noc.Me(ctx); api.ErrorCode(err) != api.CodeUnauthorized {
		t.Errorf("disabled operator's token: got %v, want unauthorized", err)
	}
	if _, err := client.New(srv.URL, nil).Login(ctx, "noc", "noc-password-1"); api.ErrorCode(err) != api.CodeUnauthorized {
		t.Errorf("disabled operator signs in: got %v, want unauthorized", err)
	}
	if _, err := srv.Admin.EnableAdmin(ctx, op.ID); err != nil {
		t.Fatal(err)
	}
	srv.SignIn(t, "noc", "noc-password-1")
	if err := srv.Admin.DeleteAdmin(ctx, op.ID); err != nil {
		t.Fatal(err)
	}
	_, err = srv.Admin.Admin(ctx, op.ID)
	wantCode(t, "deleted account", err, api.CodeNotFound, "")

	entriesPage, err := srv.Admin.Audit(ctx, api.AuditFilter{Entity: "admin", EntityID: itoa(op.ID)}, api.ListParams{})
	entries := entriesPage.Items
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if e.ActorLogin != "admin" {
			t.Errorf("audit %s: actor %q, want admin", e.Action, e.ActorLogin)
		}
		actions = append(actions, e.Action)
	}
	if got, want := strings.Join(actions, ","), "delete,enable,disable,create"; got != want {
		t.Errorf("audit actions: got %s, want %s", got, want)
	}
}

func TestStaffKeepsAnActiveAdmin(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	me, err := srv.Admin.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = srv.Admin.DisableAdmin(ctx, me.Admin.ID)
	wantCode(t, "disable yourself", err, api.CodeForbidden, "disabled")
	wantCode(t, "delete yourself", srv.Admin.DeleteAdmin(ctx, me.Admin.ID), api.CodeForbidden, "id")
	_, err = srv.Admin.UpdateAdmin(ctx, me.Admin.ID, api.AdminUpdate{Role: ptr(api.RoleOperator)})
	wantCode(t, "demote yourself", err, api.CodeForbidden, "role")
	// Someone other than the last admin itself (here setup, as `canale
	// setup` would) is refused too.
	_, err = srv.Store.SetAdminDisabled(ctx, api.SystemActor("test"), me.Admin.ID, true)
	wantCode(t, "disable the last admin", err, api.CodeForbidden, "disabled")
	wantCode(t, "delete the last admin", srv.Store.DeleteAdmin(ctx, api.SystemActor("test"), me.Admin.ID), api.CodeForbidden, "id")

	boss, err := srv.Admin.CreateAdmin(ctx, api.AdminCreate{Login: "boss", Password: "boss-password-1", Role: api.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Admin.DisableAdmin(ctx, boss.ID); err != nil {
		t.Errorf("disable another admin while one stays: %v", err)
	}
	if _, err := srv.Store.SetAdminDisabled(ctx, api.SystemActor("test"), me.Admin.ID, true); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("disable the last active admin (the other is disabled): got %v, want forbidden", err)
	}
}

func TestChangeOwnPasswordSignsOutOtherSessions(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "noc-password-1")
	here, elsewhere := srv.SignIn(t, "noc", "noc-password-1"), srv.SignIn(t, "noc", "noc-password-1")
	wantCode(t, "wrong current password", here.ChangePassword(ctx, "guess-password", "noc-password-2"), api.CodeForbidden, "password")
	wantCode(t, "short new password", here.ChangePassword(ctx, "noc-password-1", "short"), api.CodeInvalid, "new_password")
	if err := here.ChangePassword(ctx, "noc-password-1", "noc-password-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := here.Me(ctx); err != nil {
		t.Errorf("the session that changed the password: got %v, want still signed in", err)
	}
	if _, err := elsewhere.Me(ctx); api.ErrorCode(err) != api.CodeUnauthorized {
		t.Errorf("another session: got %v, want unauthorized", err)
	}
	if _, err := client.New(srv.URL, nil).Login(ctx, "noc", "noc-password-1"); api.ErrorCode(err) != api.CodeUnauthorized {
		t.Errorf("old password: got %v, want unauthorized", err)
	}
	srv.SignIn(t, "noc", "noc-password-2")
	entriesPage, _ := srv.Admin.Audit(ctx, api.AuditFilter{Entity: "admin"}, api.ListParams{})
	entries := entriesPage.Items
	if len(entries) == 0 || entries[0].Action != "change_password" || entries[0].ActorLogin != "noc" {
		t.Errorf("audit: got %+v, want change_password by noc first", entries)
	}
}

// enrol sets up TOTP for the signed-in c and returns the secret and the
// recovery codes. Codes come from the library, not from Canale's checks.
func enrol(t *testing.T, c *client.Client) (string, []string) {
	t.Helper()
	ctx := context.Background()
	e, err := c.BeginTOTP(ctx)
	if err != nil || e.Secret == "" || !strings.HasPrefix(e.URL, "otpauth://totp/") {
		t.Fatalf("begin totp: got %+v, %v", e, err)
	}
	_, err = c.ConfirmTOTP(ctx, "000000x")
	wantCode(t, "wrong enrolment code", err, api.CodeInvalid, "code")
	code, err := totp.GenerateCode(e.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	codes, err := c.ConfirmTOTP(ctx, code)
	if err != nil || len(codes) != 10 {
		t.Fatalf("confirm totp: got %v, %v; want 10 recovery codes", codes, err)
	}
	return e.Secret, codes
}

func TestTOTPSignIn(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "noc-password-1")
	noc := srv.SignIn(t, "noc", "noc-password-1")
	secret, recovery := enrol(t, noc)
	if _, err := noc.BeginTOTP(ctx); api.ErrorCode(err) != api.CodeConflict {
		t.Errorf("enrol again without a reset: got %v, want conflict", err)
	}

	c := client.New(srv.URL, nil)
	signIn := func(code, rc string) error {
		_, err := c.SignIn(ctx, api.LoginRequest{Login: "noc", Password: "noc-password-1", TOTPCode: code, RecoveryCode: rc})
		return err
	}
	if err := signIn("", ""); !client.NeedsSecondFactor(err) {
		t.Errorf("password alone: got %v, want a request for the code", err)
	}
	other, _ := totp.GenerateCode("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", time.Now())
	wantCode(t, "code of another secret", signIn(other, ""), api.CodeUnauthorized, api.FieldTOTPCode)
	// The enrolment spent the current step; the next one is within the
	// allowed drift and not yet used.
	next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	if err := signIn(next, ""); err != nil {
		t.Fatalf("fresh code: got %v, want signed in", err)
	}
	wantCode(t, "replayed code", signIn(next, ""), api.CodeUnauthorized, api.FieldTOTPCode)
	now, _ := totp.GenerateCode(secret, time.Now())
	wantCode(t, "code of an earlier step", signIn(now, ""), api.CodeUnauthorized, api.FieldTOTPCode)

	if err := signIn("", strings.ToUpper(strings.ReplaceAll(recovery[3], "-", ""))); err != nil {
		t.Errorf("recovery code: got %v, want signed in", err)
	}
	wantCode(t, "recovery code used twice", signIn("", recovery[3]), api.CodeUnauthorized, api.FieldTOTPCode)

	for _, path := range []string{"/api/v1/me", "/api/v1/admins", "/api/v1/audit?entity=admin"} {
		for _, tok := range []string{srv.Admin.Token(), noc.Token()} {
			if _, body := getBody(t, srv.URL+path, tok); strings.Contains(body, secret) || strings.Contains(body, recovery[0]) {
				t.Errorf("GET %s shows the TOTP secret or a recovery code: %s", path, body)
			}
		}
	}

	a, err := srv.Admin.ResetAdminTOTP(ctx, mustMe(t, noc).ID)
	if err != nil || a.TOTPEnabled {
		t.Fatalf("admin resets the operator's TOTP: got %+v, %v", a, err)
	}
	if err := signIn("", ""); err != nil {
		t.Errorf("after a reset, the password alone: got %v, want signed in", err)
	}
}

func mustMe(t *testing.T, c *client.Client) api.Admin {
	t.Helper()
	me, err := c.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return me.Admin
}

func TestRequiredTOTPConfinesTheTokenToEnrolment(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	op, err := srv.Admin.CreateAdmin(ctx, api.AdminCreate{Login: "noc", Password: "noc-password-1", Role: api.RoleOperator, TOTPRequired: true})
	if err != nil || !op.TOTPRequired {
		t.Fatalf("create: got %+v, %v", op, err)
	}
	noc := srv.SignIn(t, "noc", "noc-password-1")
	if _, err := noc.Channels(ctx, api.ChannelFilter{}, api.ListParams{}); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("before enrolment: got %v, want forbidden", err)
	}
	if _, err := noc.RemoveTOTP(ctx); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("remove a required TOTP: got %v, want forbidden", err)
	}
	enrol(t, noc)
	if _, err := noc.Channels(ctx, api.ChannelFilter{}, api.ListParams{}); err != nil {
		t.Errorf("after enrolment: got %v, want the channels", err)
	}
	if _, err := client.New(srv.URL, nil).Login(ctx, "noc", "noc-password-1"); !client.NeedsSecondFactor(err) {
		t.Errorf("sign-in after enrolment: got %v, want a request for the code", err)
	}
	if status(t, http.MethodGet, srv.URL+"/api/v1/admins/"+itoa(op.ID), noc.Token()) != http.StatusOK {
		t.Error("enrolled operator cannot read its account")
	}
}

// TestRekeyRemovesTheAuthenticator: `canale setup init` on an existing
// account is the way back in after a lost phone and lost recovery codes.
func TestRekeyRemovesTheAuthenticator(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "noc-password-1")
	enrol(t, srv.SignIn(t, "noc", "noc-password-1"))
	if _, err := client.New(srv.URL, nil).Login(context.Background(), "noc", "noc-password-1"); !client.NeedsSecondFactor(err) {
		t.Fatalf("after enrolment: got %v, want a request for the code", err)
	}
	testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "noc-password-2")
	srv.SignIn(t, "noc", "noc-password-2")
}

// TestTOTPGuessesAreLimited is the attack of someone who has the password
// and guesses codes: a right password must not make the guesses free (it is
// remembered, and remembered passwords skip the limits), so every wrong
// code counts as a failed sign-in and the address is stopped like a
// password guesser, while the owner elsewhere still signs in.
func TestTOTPGuessesAreLimited(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t)
	ctx := context.Background()
	testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "noc-password-1")
	secret, _ := enrol(t, srv.SignIn(t, "noc", "noc-password-1"))

	c := client.New(srv.URL, nil)
	var last error
	for i := range 12 {
		_, last = c.SignIn(ctx, api.LoginRequest{Login: "noc", Password: "noc-password-1", TOTPCode: fmt.Sprintf("%06d", i)})
		if api.ErrorCode(last) == api.CodeRateLimited {
			break
		}
	}
	if api.ErrorCode(last) != api.CodeRateLimited {
		t.Fatalf("12 wrong codes with the right password: last answer %v, want rate limited", last)
	}
	next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	if _, err := c.SignIn(ctx, api.LoginRequest{Login: "noc", Password: "noc-password-1", TOTPCode: next}); api.ErrorCode(err) != api.CodeRateLimited {
		t.Errorf("a right code from the guessing address: got %v, want still rate limited", err)
	}
}
