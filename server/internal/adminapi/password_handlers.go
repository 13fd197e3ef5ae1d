package adminapi

import (
	"context"
	"errors"
	"net/http"

	"canale/server/internal/signin"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// handleMyPassword answers POST /me/password (api.PasswordChange): the
// signed-in admin or reseller sets a new password after proving the current
// one. The token in use stays valid and every other token of the account is
// revoked, so a stolen token dies with the old password. Every role may do
// this: it changes no data anyone else sees.
func (a *API) handleMyPassword(c *gin.Context) {
	var req api.PasswordChange
	if !a.bindValid(c, &req) {
		return
	}
	ctx := c.Request.Context()
	acct, err := a.ownCredentials(c)
	if err == nil {
		err = a.checkOwnPassword(c, acct, req.Password)
	}
	var newHash string
	if err == nil {
		newHash, err = a.hashPassword(ctx, &req.NewPassword)
	}
	if err == nil {
		err = acct.change(ctx, currentActor(c), acct.id, newHash, currentTokenHash(c))
	}
	if err == nil {
		a.Logger.InfoContext(ctx, "password changed", "kind", currentActor(c).Kind, "account_id", acct.id, "client_ip", c.ClientIP())
	}
	a.reply(c, http.StatusNoContent, nil, err)
}

type passwordChanger func(ctx context.Context, actor api.Actor, id int64, passwordHash string, keepTokenHash []byte) error

// ownAccount is the signed-in account as a password change needs it.
type ownAccount struct {
	id           int64
	signInLogin  string // the sign-in guard's name for it
	passwordHash string
	secondFactor bool
	change       passwordChanger
}

// ownCredentials returns the signed-in account with its password hash and
// the store call that changes it.
func (a *API) ownCredentials(c *gin.Context) (ownAccount, error) {
	if r, ok := currentReseller(c); ok {
		creds, err := a.Resellers.FindResellerByLogin(c.Request.Context(), r.Login)
		return ownAccount{id: r.ID, signInLogin: api.KindReseller + ":" + r.Login, passwordHash: creds.PasswordHash,
			change: a.Resellers.ChangeResellerPassword}, err
	}
	admin := currentAdmin(c)
	creds, err := a.Auth.FindAdminByLogin(c.Request.Context(), admin.Login)
	return ownAccount{id: admin.ID, signInLogin: api.KindAdmin + ":" + admin.Login, passwordHash: creds.PasswordHash,
		secondFactor: admin.TOTPEnabled, change: a.Auth.ChangeAdminPassword}, err
}

// checkOwnPassword proves the current password through the sign-in guard,
// as a sign-in of the account from this address: a stolen token must not
// buy unlimited guesses at the password behind it, nor unbounded hashing.
func (a *API) checkOwnPassword(c *gin.Context, acct ownAccount, password string) error {
	_, err := a.signIns.Check(c.Request.Context(), signin.Attempt{Login: acct.signInLogin, Password: password,
		Address: c.ClientIP(), SecondFactor: acct.secondFactor}, signin.Account{Found: true, Hash: acct.passwordHash})
	if errors.Is(err, signin.ErrBadCredentials) {
		return &api.Error{Code: api.CodeForbidden, Message: "the current password is wrong",
			Fields: map[string]string{"password": "is not your current password"}}
	}
	return err
}
