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
)

func setAdmin(c *gin.Context, a api.Admin, expires time.Time, tokenHash []byte) {
	c.Set(adminKeyName(adminKey), a)
	c.Set(adminKeyName(tokenExpiryKey), expires)
	c.Set(adminKeyName(tokenHashKey), tokenHash)
}

// currentAdmin returns the signed-in admin; authenticate guarantees one.
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
	a := currentAdmin(c)
	return api.Actor{Kind: "admin", ID: a.ID, Login: a.Login, ClientIP: c.ClientIP()}
}

// gin keys are strings; these never leave this file.
func adminKeyName(k ctxKey) string {
	return [...]string{"canale.admin", "canale.token_expiry", "canale.token_hash"}[k]
}
