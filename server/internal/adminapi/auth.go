package adminapi

import (
	"net/http"
	"strings"

	"canale/server/internal/credential"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// authenticate resolves the bearer token to an admin or answers 401.
func (a *API) authenticate(c *gin.Context) {
	token := bearerToken(c.Request)
	if token == "" {
		a.writeError(c, api.Errorf(api.CodeUnauthorized, "sign in first: missing bearer token"))
		return
	}
	hash := credential.HashToken(token)
	admin, expires, err := a.Auth.FindAdminByToken(c.Request.Context(), hash)
	if err == nil {
		if needsEnrolment(admin, c.FullPath()) {
			a.writeError(c, &api.Error{Code: api.CodeForbidden, Message: "this account must set up two-factor sign-in first",
				Fields: map[string]string{"totp_required": "enrol at /me/totp"}})
			return
		}
		setAdmin(c, admin, expires, hash)
		c.Next()
		return
	}
	if api.ErrorCode(err) == api.CodeNotFound && a.Resellers != nil {
		var r api.Reseller
		r, expires, err = a.Resellers.FindResellerByToken(c.Request.Context(), hash)
		if err == nil {
			setReseller(c, r, expires, hash)
			c.Next()
			return
		}
	}
	if api.ErrorCode(err) == api.CodeNotFound {
		a.writeError(c, api.Errorf(api.CodeUnauthorized, "token is invalid, expired or revoked"))
		return
	}
	a.writeError(c, err)
}

// requireAdmin keeps resellers off every route outside the reseller group.
func (a *API) requireAdmin(c *gin.Context) {
	if _, ok := currentReseller(c); ok {
		a.writeError(c, api.Errorf(api.CodeForbidden, "not available to resellers"))
		return
	}
	c.Next()
}

// StaffOnly admits a request with an admin's or an operator's bearer token,
// for routes mounted outside the API, such as /metrics on the main listener.
func (a *API) StaffOnly() []gin.HandlerFunc {
	return []gin.HandlerFunc{a.authenticate, a.requireAdmin}
}

// requireWriterForMutations lets every role read and only writers change.
// Resellers pass: the routes they reach change only their own data.
func (a *API) requireWriterForMutations(c *gin.Context) {
	_, reseller := currentReseller(c)
	if reseller || c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	if !currentAdmin(c).Role.CanWrite() {
		a.writeError(c, api.Errorf(api.CodeForbidden, "the %s role is read-only", currentAdmin(c).Role))
		return
	}
	c.Next()
}

// bearerToken reads "Authorization: Bearer <token>". Tokens in query strings
// are not accepted: they end up in access logs and browser history.
func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) > len(prefix) && strings.EqualFold(h[:len(prefix)], prefix) {
		return strings.TrimSpace(h[len(prefix):])
	}
	return ""
}

// requireService answers 503 for a route whose service this server runs
// without (a test of another surface, a server without backups). Every route
// is mounted whatever is wired, so a client always learns "unavailable"
// rather than a 404 that reads as a wrong URL, and the route walks see the
// whole API.
func (a *API) requireService(present bool, what string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !present {
			a.writeError(c, api.Errorf(api.CodeUnavailable, "this server runs without %s", what))
			c.Abort()
		}
	}
}
