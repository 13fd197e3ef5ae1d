package adminapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/signin"
	"canale/server/internal/store"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// loginReseller signs a reseller in ({"as":"reseller"}). Failures answer
// exactly as admin failures do and count against the same address limits.
func (a *API) loginReseller(c *gin.Context, req api.LoginRequest) {
	r, err := a.verifyReseller(c, req)
	if err != nil {
		a.writeSignInError(c, err)
		return
	}
	token := credential.NewToken()
	expires := time.Now().Add(a.TokenTTL).UTC().Truncate(time.Second)
	if err := a.Resellers.CreateResellerToken(c.Request.Context(), r.ID, credential.HashToken(token), expires,
		c.ClientIP(), c.Request.UserAgent()); err != nil {
		a.writeError(c, err)
		return
	}
	a.Logger.InfoContext(c.Request.Context(), "reseller signed in", "reseller_id", r.ID, "client_ip", c.ClientIP())
	c.JSON(http.StatusOK, api.LoginResponse{Token: token, ExpiresAt: expires, Reseller: &r})
}

func (a *API) verifyReseller(c *gin.Context, req api.LoginRequest) (api.Reseller, error) {
	login := strings.TrimSpace(req.Login)
	var creds store.ResellerCredentials
	var err error = api.Errorf(api.CodeNotFound, "no reseller store")
	if a.Resellers != nil {
		creds, err = a.Resellers.FindResellerByLogin(c.Request.Context(), login)
	}
	if err != nil && api.ErrorCode(err) != api.CodeNotFound {
		return api.Reseller{}, err
	}
	res, err := a.checkPassword(c, api.KindReseller+":"+login, req.Password, signin.Account{Found: err == nil, Hash: creds.PasswordHash})
	if err != nil {
		return api.Reseller{}, err
	}
	if res.Upgraded != "" {
		a.upgradePassword(c, "reseller_id", creds.Reseller.ID, func(ctx context.Context) error {
			return a.Resellers.UpgradeResellerPassword(ctx, creds.Reseller.ID, creds.PasswordHash, res.Upgraded)
		})
	}
	if creds.Reseller.Status != api.ResellerActive {
		return api.Reseller{}, errBadCredentials
	}
	return creds.Reseller, nil
}
