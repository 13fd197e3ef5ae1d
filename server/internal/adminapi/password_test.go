package adminapi_test

import (
	"context"
	"fmt"
	"sync"
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

// TestOwnPasswordGuessesAreBounded is the attack of someone holding a
// stolen reseller token: guessing the current password behind it through
// /me/password, one at a time (to take the account over) and all at once
// (19 MiB of hashing each). The guesses count like failed sign-ins, and
// the hashing shares the sign-ins' bound.
func TestOwnPasswordGuessesAreBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupResellers(t)
	stolen := signInReseller(t, b.srv, "one", "one-password")
	var last error
	for i := range 12 {
		last = stolen.ChangePassword(ctx, fmt.Sprintf("guess-%d", i), "taken-over-1")
		if api.ErrorCode(last) == api.CodeRateLimited {
			break
		}
	}
	if api.ErrorCode(last) != api.CodeRateLimited {
		t.Fatalf("12 wrong current passwords: last answer %v, want rate limited", last)
	}

	flood := signInReseller(t, b.srv, "two", "two-password")
	codes := make(chan api.Code, 30)
	var wg sync.WaitGroup
	for i := range cap(codes) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- api.ErrorCode(flood.ChangePassword(ctx, fmt.Sprintf("flood-%d", i), "taken-over-1"))
		}()
	}
	wg.Wait()
	close(codes)
	hashed := 0
	for code := range codes {
		switch code {
		case api.CodeForbidden:
			hashed++
		case api.CodeUnavailable, api.CodeRateLimited:
		default:
			t.Errorf("a flooded password change answered %s", code)
		}
	}
	if hashed == cap(codes) {
		t.Errorf("all %d parallel guesses were hashed: want the hashing bound to turn some away", hashed)
	}
}
