package adminapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"canale/server/internal/credential"
	"canale/server/internal/eventhub"
	"canale/server/internal/ratelimit"
	"canale/server/internal/signin"
	"canale/server/internal/store"
	"canale/shared/api"
)

// AuthStore is what sign-in and token checks need from the database.
type AuthStore interface {
	FindAdminByLogin(ctx context.Context, login string) (store.AdminCredentials, error)
	CreateAdminToken(ctx context.Context, adminID int64, tokenHash []byte, expires time.Time, clientIP, userAgent string) error
	FindAdminByToken(ctx context.Context, tokenHash []byte) (api.Admin, time.Time, error)
	DeleteAdminToken(ctx context.Context, tokenHash []byte) error
	ChangeAdminPassword(ctx context.Context, actor api.Actor, id int64, passwordHash string, keepTokenHash []byte) error
	UpgradeAdminPassword(ctx context.Context, id int64, oldHash, newHash string) error
}

// ResellerAuthStore is what reseller sign-in and token checks need.
type ResellerAuthStore interface {
	FindResellerByLogin(ctx context.Context, login string) (store.ResellerCredentials, error)
	CreateResellerToken(ctx context.Context, resellerID int64, tokenHash []byte, expires time.Time, clientIP, userAgent string) error
	FindResellerByToken(ctx context.Context, tokenHash []byte) (api.Reseller, time.Time, error)
	DeleteResellerToken(ctx context.Context, tokenHash []byte) error
	ChangeResellerPassword(ctx context.Context, actor api.Actor, id int64, passwordHash string, keepTokenHash []byte) error
	UpgradeResellerPassword(ctx context.Context, id int64, oldHash, newHash string) error
}

// SubscriberStore reads and changes subscribers. Writes take the actor, and
// the store itself refuses a reseller anything but its own subscribers.
type SubscriberStore interface {
	FindSubscriberByID(ctx context.Context, id int64) (api.Subscriber, error)
	FindSubscribers(ctx context.Context, f api.SubscriberFilter, p api.ListParams) (api.Page[api.Subscriber], error)
	CreateSubscriber(ctx context.Context, actor api.Actor, sub api.Subscriber) (api.Subscriber, error)
	UpdateSubscriber(ctx context.Context, actor api.Actor, id int64, upd api.SubscriberUpdate) (api.Subscriber, error)
	DeleteSubscriber(ctx context.Context, actor api.Actor, id int64) error
	ResetSubscriberToken(ctx context.Context, actor api.Actor, id int64) (api.Subscriber, error)
	SetSubscriberStatus(ctx context.Context, actor api.Actor, id int64, status string) (api.Subscriber, error)
	ExtendSubscriber(ctx context.Context, actor api.Actor, id int64, req api.ExtendRequest) (api.Subscriber, error)
	ImportSubscribers(ctx context.Context, actor api.Actor, rows []store.ImportRow, opt store.ImportOptions) (api.ImportReport, error)
	TrialStore
	ResetTunerToken(ctx context.Context, actor api.Actor, id int64) (api.Subscriber, error)
}

// ResellerStore reads and changes resellers and their credits.
type ResellerStore interface {
	ResellerAuthStore
	FindResellerByID(ctx context.Context, id int64) (api.Reseller, error)
	FindResellers(ctx context.Context, f api.ResellerFilter, p api.ListParams) (api.Page[api.Reseller], error)
	CreateReseller(ctx context.Context, actor api.Actor, r api.Reseller, passwordHash string) (api.Reseller, error)
	UpdateReseller(ctx context.Context, actor api.Actor, id int64, upd api.ResellerUpdate, newPasswordHash string) (api.Reseller, error)
	DeleteReseller(ctx context.Context, actor api.Actor, id int64) error
	ChangeResellerCredits(ctx context.Context, actor api.Actor, id int64, ch api.CreditChange) (api.Reseller, error)
	FindCreditLog(ctx context.Context, resellerID int64, p api.ListParams) (api.Page[api.CreditLogEntry], error)
	ResellerBusinessStore
}

// AuditStore reads the audit log.
type AuditStore interface {
	FindAudit(ctx context.Context, f api.AuditFilter, p api.ListParams) (api.Page[api.AuditEntry], error)
}

// EventStream serves the event websocket and closes the sockets of a revoked
// token; *eventhub.Hub is the implementation.
type EventStream interface {
	Serve(w http.ResponseWriter, r *http.Request, owner eventhub.SocketOwner)
	CloseToken(adminID int64, tokenHash []byte)
}

// Deps are the API's collaborators.
type Deps struct {
	Auth AuthStore
	// Staff manages staff accounts and their second factor.
	Staff  StaffStore
	Audit  AuditStore
	TLS    TLSManager
	Events EventStream
	// EPG keeps EPG sources and guides; EPGImports runs their imports.
	EPG        EPGStore
	EPGImports EPGImporter
	Catalog    CatalogStore
	Fleet      FleetView // nil: the fleet routes answer 503 (requireService)
	// Sessions is nil in tests of other surfaces: the /sessions routes answer 503.
	Sessions SessionService
	// Refusals lists refused plays; nil: GET /refusals answers 503.
	Refusals RefusalService
	// Alerts is nil in tests of other surfaces: the /alerts routes answer 503.
	Alerts AlertDesk
	// Backups is nil in tests of other surfaces: the /backups routes answer 503.
	Backups BackupService
	// Subscribers and Resellers may be nil in tests of other surfaces;
	// App wires the store into both.
	Subscribers SubscriberStore
	Resellers   ResellerStore
	Logger      *slog.Logger
	TokenTTL    time.Duration
	Version     string
	// ExternalURL is the configured public URL, the default domain of Let's Encrypt.
	ExternalURL string
	// EffectiveExternalURL returns the external URL setting as in force now
	// (seeded by the flag, an operator's change wins), read from the read
	// model so a subscriber's links cost no query; nil uses ExternalURL.
	EffectiveExternalURL func() string
	// Hasher checks sign-in passwords, shared with the subscriber surfaces
	// so one bound holds for all; nil makes one.
	Hasher *credential.Hasher
	// Devices keeps subscribers' set-top boxes; nil in tests of other
	// surfaces: the device routes answer 503.
	Devices DeviceStore
}

// API serves /api/v1.
type API struct {
	Deps
	// signIns guards admin and reseller sign-ins (logins prefixed with
	// their kind): 5 failures per (login, address) and 20 per address in
	// 15 minutes, and a login guessed at from many addresses is slowed.
	signIns *signin.Guard
	logos   logoCache // what /logos/{id} answers, see Logos
}

// New returns the API.
func New(d Deps) *API {
	if d.TokenTTL == 0 {
		d.TokenTTL = 12 * time.Hour
	}
	if d.Hasher == nil {
		d.Hasher = credential.NewHasher(credential.HasherOptions{})
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &API{Deps: d, signIns: signin.New(signin.Options{Hasher: d.Hasher,
		Limits: ratelimit.SignInOptions{PerPair: 5, PerAddress: 20}})}
}
