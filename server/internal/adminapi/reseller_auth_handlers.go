package adminapi

import (
	"context"
	"errors"
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
	token, expires, r, err := a.SignInReseller(c, req.Login, req.Password)
	if err != nil {
		a.writeSignInError(c, err)
		return
	}
	c.JSON(http.StatusOK, api.LoginResponse{Token: token, ExpiresAt: expires, Reseller: &r})
}

// SignInReseller checks a reseller's login and password under the same
// guard (address limits, busy hashing) as every API sign-in and returns a
// new token. The reseller panel signs in through it, so both surfaces share
// one set of limits and one token store.
func (a *API) SignInReseller(c *gin.Context, login, password string) (string, time.Time, api.Reseller, error) {
	r, err := a.verifyReseller(c, api.LoginRequest{Login: login, Password: password, As: api.KindReseller})
	if errors.Is(err, errBadCredentials) { // a disabled reseller: told as a wrong password, on every surface
		err = signin.ErrBadCredentials
	}
	if err != nil {
		return "", time.Time{}, r, err
	}
	token := credential.NewToken()
	expires := time.Now().Add(a.TokenTTL).UTC().Truncate(time.Second)
	if err := a.Resellers.CreateResellerToken(c.Request.Context(), r.ID, credential.HashToken(token), expires,
		c.ClientIP(), c.Request.UserAgent()); err != nil {
		return "", time.Time{}, r, err
	}
	a.Logger.InfoContext(c.Request.Context(), "reseller signed in", "reseller_id", r.ID, "client_ip", c.ClientIP())
	return token, expires, r, nil
}

// ResellerByToken returns the active reseller holding an unexpired token,
// or CodeNotFound.
func (a *API) ResellerByToken(ctx context.Context, token string) (api.Reseller, error) {
	r, _, err := a.Resellers.FindResellerByToken(ctx, credential.HashToken(token))
	return r, err
}

// SignOutReseller revokes one reseller token.
func (a *API) SignOutReseller(ctx context.Context, token string) error {
	return a.Resellers.DeleteResellerToken(ctx, credential.HashToken(token))
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
