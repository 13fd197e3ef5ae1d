package adminapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/signin"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// errBadCredentials is the one answer to an unknown login, a wrong password
// and a disabled account, so the API never tells which accounts exist.
var errBadCredentials = api.Errorf(api.CodeUnauthorized, "wrong login or password")

func (a *API) handleLogin(c *gin.Context) {
	var req api.LoginRequest
	if !a.bindValid(c, &req) {
		return
	}
	if req.As == api.KindReseller {
		a.loginReseller(c, req)
		return
	}
	admin, err := a.verify(c, req)
	if err == nil && admin.TOTPEnabled {
		err = a.checkSecondFactor(c.Request.Context(), admin, req)
		switch {
		case err == nil:
			a.signIns.Accept(adminSignInLogin(req), c.ClientIP())
		case errors.Is(err, errSecondFactor):
			a.signIns.Refuse(adminSignInLogin(req), c.ClientIP())
		}
	}
	if err != nil {
		a.writeSignInError(c, err)
		return
	}
	a.issueToken(c, admin)
}

// verify checks the credentials through the sign-in guard, which spends the
// same work whether or not the account exists.
func (a *API) verify(c *gin.Context, req api.LoginRequest) (api.Admin, error) {
	login := strings.TrimSpace(req.Login)
	creds, err := a.Auth.FindAdminByLogin(c.Request.Context(), login)
	if err != nil && api.ErrorCode(err) != api.CodeNotFound {
		return api.Admin{}, err
	}
	res, err := a.signIns.Check(c.Request.Context(), signin.Attempt{Login: adminSignInLogin(req), Password: req.Password,
		Address: c.ClientIP(), SecondFactor: creds.Admin.TOTPEnabled}, signin.Account{Found: err == nil, Hash: creds.PasswordHash})
	if err != nil {
		return api.Admin{}, err
	}
	if res.Upgraded != "" {
		a.upgradePassword(c, "admin_id", creds.Admin.ID, func(ctx context.Context) error {
			return a.Auth.UpgradeAdminPassword(ctx, creds.Admin.ID, creds.PasswordHash, res.Upgraded)
		})
	}
	if creds.Admin.Disabled {
		return api.Admin{}, errBadCredentials
	}
	return creds.Admin, nil
}

// adminSignInLogin is the guard's name for an admin sign-in's login.
func adminSignInLogin(req api.LoginRequest) string {
	return api.KindAdmin + ":" + strings.TrimSpace(req.Login)
}

// checkPassword runs one admin or reseller sign-in through the guard; login
// carries its kind, so the two kinds of accounts never share a memory or a
// per-login count (they share the per-address count).
func (a *API) checkPassword(c *gin.Context, login, password string, acct signin.Account) (signin.Result, error) {
	return a.signIns.Check(c.Request.Context(), signin.Attempt{Login: login, Password: password, Address: c.ClientIP()}, acct)
}

// upgradePassword stores the stronger hash a sign-in made of an imported
// password. A failure only leaves the old hash for the next sign-in, so it
// is logged, not answered.
func (a *API) upgradePassword(c *gin.Context, idKey string, id int64, store func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 5*time.Second)
	defer cancel()
	if err := store(ctx); err != nil {
		a.Logger.WarnContext(ctx, "upgrade password hash", idKey, id, "error", err)
		return
	}
	a.Logger.InfoContext(ctx, "upgraded password hash", idKey, id)
}

// writeSignInError answers a refused sign-in: 401 for wrong credentials,
// 429 or 503 with Retry-After (writeError) when the guard says to come back later.
func (a *API) writeSignInError(c *gin.Context, err error) {
	if errors.Is(err, signin.ErrBadCredentials) {
		err = errBadCredentials
	}
	a.writeError(c, err)
}

func (a *API) issueToken(c *gin.Context, admin api.Admin) {
	token := credential.NewToken()
	expires := time.Now().Add(a.TokenTTL).UTC().Truncate(time.Second)
	err := a.Auth.CreateAdminToken(c.Request.Context(), admin.ID, credential.HashToken(token), expires,
		c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		a.writeError(c, err)
		return
	}
	a.Logger.InfoContext(c.Request.Context(), "admin signed in", "admin_id", admin.ID, "client_ip", c.ClientIP())
	c.JSON(http.StatusOK, api.LoginResponse{Token: token, ExpiresAt: expires, Admin: admin})
}

func (a *API) handleLogout(c *gin.Context) {
	del := a.Auth.DeleteAdminToken
	if _, ok := currentReseller(c); ok {
		del = a.Resellers.DeleteResellerToken
	}
	if err := del(c.Request.Context(), currentTokenHash(c)); err != nil {
		a.writeError(c, err)
		return
	}
	a.Events.CloseToken(currentAdmin(c).ID, currentTokenHash(c))
	c.Status(http.StatusNoContent)
}

func (a *API) handleMe(c *gin.Context) {
	me := api.Me{Kind: api.KindAdmin, Admin: currentAdmin(c), ServerVersion: a.Version,
		APIVersion: api.APIVersion, TokenExpires: currentTokenExpiry(c)}
	if r, ok := currentReseller(c); ok {
		// Read again: the copy resolved with the token may predate a debit
		// made by a request running alongside this one.
		fresh, err := a.Resellers.FindResellerByID(c.Request.Context(), r.ID)
		if err != nil {
			a.writeError(c, err)
			return
		}
		me.Kind, me.Reseller = api.KindReseller, &fresh
	}
	c.JSON(http.StatusOK, me)
}
