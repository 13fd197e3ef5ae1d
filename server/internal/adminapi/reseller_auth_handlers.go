package adminapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"canale/server/internal/credential"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// loginReseller signs a reseller in ({"as":"reseller"}). Failures answer
// exactly as admin failures do and count against the same limits.
func (a *API) loginReseller(c *gin.Context, req api.LoginRequest, loginKey, ipKey string) {
	r, err := a.verifyReseller(c, req)
	if err != nil {
		if errors.Is(err, errBadCredentials) {
			a.perLogin.Fail(loginKey)
			a.perIP.Fail(ipKey)
		}
		a.writeError(c, err)
		return
	}
	a.perLogin.Reset(loginKey)
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
	if a.Resellers == nil {
		return api.Reseller{}, errBadCredentials
	}
	creds, err := a.Resellers.FindResellerByLogin(c.Request.Context(), strings.TrimSpace(req.Login))
	if api.ErrorCode(err) == api.CodeNotFound {
		_ = credential.BurnVerify(req.Password)
		return api.Reseller{}, errBadCredentials
	}
	if err != nil {
		return api.Reseller{}, err
	}
	if err := credential.VerifyPassword(creds.PasswordHash, req.Password); err != nil || creds.Reseller.Status != api.ResellerActive {
		return api.Reseller{}, errBadCredentials
	}
	return creds.Reseller, nil
}
