package adminapi

import (
	"time"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// Context keys are unexported types so no other package can collide.
type ctxKey int

const (
	adminKey ctxKey = iota
	tokenExpiryKey
	tokenHashKey
	resellerKey
)

func setAdmin(c *gin.Context, a api.Admin, expires time.Time, tokenHash []byte) {
	c.Set(adminKeyName(adminKey), a)
	c.Set(adminKeyName(tokenExpiryKey), expires)
	c.Set(adminKeyName(tokenHashKey), tokenHash)
}

// setReseller marks the request as made by a reseller: every route outside
// the reseller group answers it 403, and its writes are scoped to its own
// subscribers.
func setReseller(c *gin.Context, r api.Reseller, expires time.Time, tokenHash []byte) {
	c.Set(adminKeyName(resellerKey), r)
	c.Set(adminKeyName(tokenExpiryKey), expires)
	c.Set(adminKeyName(tokenHashKey), tokenHash)
}

// currentReseller returns the signed-in reseller, and false when the
// principal is an admin.
func currentReseller(c *gin.Context) (api.Reseller, bool) {
	v, ok := c.Get(adminKeyName(resellerKey))
	r, _ := v.(api.Reseller)
	return r, ok
}

// currentAdmin returns the signed-in admin; it is the zero Admin when the
// principal is a reseller (requireAdmin keeps resellers off admin routes).
func currentAdmin(c *gin.Context) api.Admin {
	v, _ := c.Get(adminKeyName(adminKey))
	a, _ := v.(api.Admin)
	return a
}

func currentTokenExpiry(c *gin.Context) time.Time {
	v, _ := c.Get(adminKeyName(tokenExpiryKey))
	t, _ := v.(time.Time)
	return t
}

func currentTokenHash(c *gin.Context) []byte {
	v, _ := c.Get(adminKeyName(tokenHashKey))
	b, _ := v.([]byte)
	return b
}

// currentActor is who is changing data, for the audit log.
func currentActor(c *gin.Context) api.Actor {
	if r, ok := currentReseller(c); ok {
		return api.Actor{Kind: api.KindReseller, ID: r.ID, Login: r.Login, ClientIP: c.ClientIP()}
	}
	a := currentAdmin(c)
	return api.Actor{Kind: "admin", ID: a.ID, Login: a.Login, ClientIP: c.ClientIP()}
}

// gin keys are strings; these never leave this file.
func adminKeyName(k ctxKey) string {
	return [...]string{"canale.admin", "canale.token_expiry", "canale.token_hash", "canale.reseller"}[k]
}
