package adminapi

import (
	"context"
	"log/slog"
	"time"

	"canale/server/internal/ratelimit"
	"canale/server/internal/store"
	"canale/shared/api"
)

// AuthStore is what sign-in and token checks need from the database.
type AuthStore interface {
	FindAdminByLogin(ctx context.Context, login string) (store.AdminCredentials, error)
	CreateAdminToken(ctx context.Context, adminID int64, tokenHash []byte, expires time.Time, clientIP, userAgent string) error
	FindAdminByToken(ctx context.Context, tokenHash []byte) (api.Admin, time.Time, error)
	DeleteAdminToken(ctx context.Context, tokenHash []byte) error
}

// AuditStore reads the audit log.
type AuditStore interface {
	FindAudit(ctx context.Context, f store.AuditFilter) ([]api.AuditEntry, error)
}

// Deps are the API's collaborators.
type Deps struct {
	Auth  AuthStore
	Audit AuditStore
	TLS   TLSManager
	// EPG keeps EPG sources and guides; EPGImports runs their imports.
	EPG        EPGStore
	EPGImports EPGImporter
	Logger     *slog.Logger
	TokenTTL   time.Duration
	Version    string
	// ExternalURL is the configured public URL, the default domain of Let's Encrypt.
	ExternalURL string
}

// API serves /api/v1.
type API struct {
	Deps
	// Sign-in limits: per account (so one account cannot be guessed from many
	// addresses) and per client address (so one address cannot sweep accounts).
	perLogin *ratelimit.Failures
	perIP    *ratelimit.Failures
}

// New returns the API with default sign-in limits: 5 failures per account and
// 20 per address in 15 minutes.
func New(d Deps) *API {
	if d.TokenTTL == 0 {
		d.TokenTTL = 12 * time.Hour
	}
	return &API{
		Deps:     d,
		perLogin: &ratelimit.Failures{Max: 5, Window: 15 * time.Minute},
		perIP:    &ratelimit.Failures{Max: 20, Window: 15 * time.Minute},
	}
}
