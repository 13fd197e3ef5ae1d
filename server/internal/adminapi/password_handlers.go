package adminapi

import (
	"context"
	"net/http"

	"canale/server/internal/credential"
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
	id, hash, change, err := a.ownCredentials(c)
	if err == nil && credential.VerifyPassword(hash, req.Password) != nil {
		err = &api.Error{Code: api.CodeForbidden, Message: "the current password is wrong",
			Fields: map[string]string{"password": "is not your current password"}}
	}
	var newHash string
	if err == nil {
		newHash, err = credential.HashPassword(req.NewPassword)
	}
	if err == nil {
		err = change(ctx, currentActor(c), id, newHash, currentTokenHash(c))
	}
	if err == nil {
		a.Logger.InfoContext(ctx, "password changed", "kind", currentActor(c).Kind, "account_id", id, "client_ip", c.ClientIP())
	}
	a.reply(c, http.StatusNoContent, nil, err)
}

type passwordChanger func(ctx context.Context, actor api.Actor, id int64, passwordHash string, keepTokenHash []byte) error

// ownCredentials returns the signed-in account's id, its password hash and
// the store call that changes it.
func (a *API) ownCredentials(c *gin.Context) (int64, string, passwordChanger, error) {
	if r, ok := currentReseller(c); ok {
		creds, err := a.Resellers.FindResellerByLogin(c.Request.Context(), r.Login)
		return r.ID, creds.PasswordHash, a.Resellers.ChangeResellerPassword, err
	}
	admin := currentAdmin(c)
	creds, err := a.Auth.FindAdminByLogin(c.Request.Context(), admin.Login)
	return admin.ID, creds.PasswordHash, a.Auth.ChangeAdminPassword, err
}
