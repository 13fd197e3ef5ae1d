package adminapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"canale/server/internal/credential"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// errBadCredentials is the one answer to an unknown login, a wrong password
// and a disabled account, so the API never tells which accounts exist.
var errBadCredentials = api.Errorf(api.CodeUnauthorized, "wrong login or password")

func (a *API) handleLogin(c *gin.Context) {
	var req api.LoginRequest
	if !a.bindJSON(c, &req) {
		return
	}
	if err := req.Validate(); err != nil {
		a.writeError(c, err)
		return
	}
	loginKey, ipKey := "login:"+strings.ToLower(strings.TrimSpace(req.Login)), "ip:"+c.ClientIP()
	if req.As == api.KindReseller {
		loginKey = "reseller:" + loginKey[len("login:"):]
	}
	if !a.allowLogin(c, loginKey, ipKey) {
		return
	}
	if req.As == api.KindReseller {
		a.loginReseller(c, req, loginKey, ipKey)
		return
	}
	admin, err := a.verify(c, req)
	if err == nil {
		err = a.checkSecondFactor(c.Request.Context(), admin, req)
	}
	if err != nil {
		if errors.Is(err, errBadCredentials) || errors.Is(err, errSecondFactor) {
			a.perLogin.Fail(loginKey)
			a.perIP.Fail(ipKey)
		}
		a.writeError(c, err)
		return
	}
	a.perLogin.Reset(loginKey)
	a.issueToken(c, admin)
}

func (a *API) allowLogin(c *gin.Context, keys ...string) bool {
	limits := []interface {
		Check(string) (bool, time.Duration)
	}{a.perLogin, a.perIP}
	for i, key := range keys {
		if ok, wait := limits[i].Check(key); !ok {
			c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			a.writeError(c, api.Errorf(api.CodeRateLimited, "too many failed sign-ins; try again in %s", wait.Round(time.Second)))
			return false
		}
	}
	return true
}

// verify checks the credentials, spending the same time whether or not the
// account exists.
func (a *API) verify(c *gin.Context, req api.LoginRequest) (api.Admin, error) {
	creds, err := a.Auth.FindAdminByLogin(c.Request.Context(), strings.TrimSpace(req.Login))
	if api.ErrorCode(err) == api.CodeNotFound {
		_ = credential.BurnVerify(req.Password)
		return api.Admin{}, errBadCredentials
	}
	if err != nil {
		return api.Admin{}, err
	}
	if err := credential.VerifyPassword(creds.PasswordHash, req.Password); err != nil || creds.Admin.Disabled {
		return api.Admin{}, errBadCredentials
	}
	return creds.Admin, nil
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
