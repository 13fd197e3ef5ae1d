package adminapi_test

import (
	"context"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
	"canale/shared/client"
)

// works reports whether the client's token still opens /me.
func works(t *testing.T, c *client.Client) bool {
	t.Helper()
	_, err := c.Me(context.Background())
	if err != nil && api.ErrorCode(err) != api.CodeUnauthorized {
		t.Fatal(err)
	}
	return err == nil
}

func signInReseller(t *testing.T, srv *testserver.Server, login, password string) *client.Client {
	t.Helper()
	c := client.New(srv.URL, nil)
	if _, err := c.LoginReseller(context.Background(), login, password); err != nil {
		t.Fatalf("sign in as reseller %s: %v", login, err)
	}
	return c
}

// TestOwnPasswordChangeRevokesOtherTokens: whoever changes their own
// password keeps the session they did it from, and every other token (a
// stolen one included) stops working at once.
func TestOwnPasswordChangeRevokesOtherTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	tests := []struct {
		name               string
		signIn             func(password string) *client.Client
		password, newPassw string
	}{
		{"Reseller", func(pw string) *client.Client { return signInReseller(t, b.srv, "one", pw) }, "one-password", "one-password-2"},
		{"Admin", func(pw string) *client.Client { return b.srv.SignIn(t, "admin", pw) }, testserver.AdminPassword, "admin-password-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mine, stolen := tt.signIn(tt.password), tt.signIn(tt.password)
			err := mine.ChangePassword(ctx, "wrong-"+tt.password, tt.newPassw)
			if e, ok := err.(*api.Error); !ok || e.Code != api.CodeForbidden || e.Fields["password"] == "" {
				t.Errorf("change with a wrong current password: got %v, want forbidden naming password", err)
			}
			if !works(t, stolen) {
				t.Fatal("a refused change revoked a token")
			}
			if err := mine.ChangePassword(ctx, tt.password, tt.newPassw); err != nil {
				t.Fatal(err)
			}
			if !works(t, mine) {
				t.Error("the token that changed the password stopped working")
			}
			if works(t, stolen) {
				t.Error("another token still works after the password change")
			}
			tt.signIn(tt.newPassw) // fails the test unless the new password signs in
		})
	}
}

// TestOperatorSetsResellerPasswordRevokesTokens: a password an operator sets
// for a reseller signs the reseller out everywhere.
func TestOperatorSetsResellerPasswordRevokesTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	pw := "set-by-the-operator"
	if _, err := b.srv.Admin.UpdateReseller(ctx, b.one.ID, api.ResellerUpdate{Password: &pw, Version: b.one.Version}); err != nil {
		t.Fatal(err)
	}
	if works(t, b.c1) {
		t.Error("the reseller's token still works after the operator set a new password")
	}
}
