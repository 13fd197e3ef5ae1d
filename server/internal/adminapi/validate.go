package adminapi

import (
	"context"

	"canale/server/internal/signin"

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
// password alone) gives "". It holds one of the process's hashing slots like
// every sign-in, and past them answers 503 with Retry-After.
func (a *API) hashPassword(ctx context.Context, pw *string) (string, error) {
	if pw == nil {
		return "", nil
	}
	hash, err := a.Hasher.Hash(ctx, *pw)
	return hash, signin.Busy(err)
}
