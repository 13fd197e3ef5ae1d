package api

import (
	"strings"
	"time"
)

// Role says what an account may do through the admin API.
type Role string

// Roles. An operator sees everything and changes nothing (the NOC's read-only
// seat); an admin may change everything.
const (
	RoleAdmin    Role = "admin"
	RoleOperator Role = "operator"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleOperator }

// CanWrite reports whether the role may change data.
func (r Role) CanWrite() bool { return r == RoleAdmin }

// Admin is a staff account of the admin API and desktop app.
type Admin struct {
	ID       int64  `json:"id"`
	Login    string `json:"login"`
	Role     Role   `json:"role"`
	Disabled bool   `json:"disabled"`
	// TOTPEnabled: the account has enrolled an authenticator and signs in
	// with a code. TOTPRequired: an admin demands it; until the account
	// enrols, its token reaches only /me, enrolment and sign-out.
	TOTPEnabled  bool      `json:"totp_enabled"`
	TOTPRequired bool      `json:"totp_required"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// LoginRequest is the body of POST /api/v1/auth/login.
type LoginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	As       string `json:"as,omitempty"` // "admin" (the default) or "reseller"
	// TOTPCode (or, when the authenticator is lost, one RecoveryCode) is the
	// second factor of a staff account that enrolled one.
	TOTPCode     string `json:"totp_code,omitempty"`
	RecoveryCode string `json:"recovery_code,omitempty"`
}

// Principal kinds: who signs in to the admin API.
const (
	KindAdmin    = "admin"
	KindReseller = "reseller"
)

// Validate checks that both credentials are present.
func (r LoginRequest) Validate() error {
	f := FieldErrors{}
	switch {
	case strings.TrimSpace(r.Login) == "":
		f.Add("login", "required")
	case len(r.Login) > MaxLoginLen:
		f.Add("login", loginTooLong)
	}
	if r.Password == "" {
		f.Add("password", "required")
	}
	if r.As != "" && r.As != KindAdmin && r.As != KindReseller {
		f.Add("as", "must be admin or reseller")
	}
	return f.Err()
}

// LoginResponse carries the opaque bearer token and who it belongs to:
// Admin for an admin sign-in, Reseller for a reseller one.
type LoginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Admin     Admin     `json:"admin"`
	Reseller  *Reseller `json:"reseller,omitempty"`
}

// Me is the answer of GET /api/v1/me: the signed-in account and the server
// version, so a client can warn about a version mismatch.
//
// Kind says which account signed in; for a reseller, Admin is empty and
// Reseller carries the account, its credits and the packages it may sell.
type Me struct {
	Kind          string    `json:"kind"`
	Admin         Admin     `json:"admin"`
	Reseller      *Reseller `json:"reseller,omitempty"`
	ServerVersion string    `json:"server_version"`
	APIVersion    int       `json:"api_version"`
	TokenExpires  time.Time `json:"token_expires_at"`
}

// APIVersion is the version of the admin API wire format. Clients refuse to
// talk to a server whose major API version differs from theirs. 2: credits
// are integer minor units (credits_minor, price_credits_minor, delta_minor).
// 3: the audit, credit and activity logs answer a Page and take cursor=
// instead of before_id=.
const APIVersion = 3

// PasswordChange is the body of POST /api/v1/me/password: the signed-in
// admin or reseller proves the current password and sets a new one. Every
// other token of the account is revoked; the one used stays valid.
type PasswordChange struct {
	Password    string `json:"password"`
	NewPassword string `json:"new_password"`
}

// Validate checks that the current password is present and the new one is
// one a staff account may have.
func (p PasswordChange) Validate() error {
	f := FieldErrors{}
	if p.Password == "" {
		f.Add("password", "required: the current password")
	}
	checkStaffPassword(f, "new_password", p.NewPassword)
	return f.Err()
}
