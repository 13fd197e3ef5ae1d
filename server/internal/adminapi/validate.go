package adminapi

import (
	"canale/server/internal/credential"

	"github.com/gin-gonic/gin"
)

// validator is a request body that checks itself (the api types).
type validator interface{ Validate() error }

// bindValid decodes the JSON body into v and validates it, answering the
// error itself when either fails.
func (a *API) bindValid(c *gin.Context, v validator) bool {
	if !a.bindJSON(c, v) {
		return false
	}
	if err := v.Validate(); err != nil {
		a.writeError(c, err)
		return false
	}
	return true
}

// hashPassword hashes a password that was sent; nil (a PATCH that leaves the
// password alone) gives "".
func hashPassword(pw *string) (string, error) {
	if pw == nil {
		return "", nil
	}
	return credential.HashPassword(*pw)
}
