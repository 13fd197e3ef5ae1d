package client

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"canale/shared/api"
)

// SignIn signs in with every field of req (a TOTP or recovery code too) and
// keeps the token. An account that needs a second factor and got none
// answers CodeUnauthorized naming api.FieldTOTPCode.
func (c *Client) SignIn(ctx context.Context, req api.LoginRequest) (api.LoginResponse, error) {
	var out api.LoginResponse
	err := c.do(ctx, http.MethodPost, "/api/v1/auth/login", req, &out)
	if err == nil {
		c.SetToken(out.Token)
	}
	return out, err
}

// NeedsSecondFactor reports whether a sign-in error asks for a TOTP code.
func NeedsSecondFactor(err error) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Code == api.CodeUnauthorized && e.Fields[api.FieldTOTPCode] == "required"
}

func adminPath(id int64, rest string) string {
	return "/api/v1/admins/" + strconv.FormatInt(id, 10) + rest
}

// Admins lists the staff accounts.
func (c *Client) Admins(ctx context.Context) ([]api.Admin, error) {
	var out api.Page[api.Admin]
	return out.Items, c.do(ctx, http.MethodGet, "/api/v1/admins", nil, &out)
}

// Admin returns one staff account.
func (c *Client) Admin(ctx context.Context, id int64) (api.Admin, error) {
	var out api.Admin
	return out, c.do(ctx, http.MethodGet, adminPath(id, ""), nil, &out)
}

// CreateAdmin creates a staff account (admin or operator).
func (c *Client) CreateAdmin(ctx context.Context, in api.AdminCreate) (api.Admin, error) {
	var out api.Admin
	return out, c.do(ctx, http.MethodPost, "/api/v1/admins", in, &out)
}

// UpdateAdmin changes an account's role or TOTP requirement.
func (c *Client) UpdateAdmin(ctx context.Context, id int64, u api.AdminUpdate) (api.Admin, error) {
	var out api.Admin
	return out, c.do(ctx, http.MethodPatch, adminPath(id, ""), u, &out)
}

// DeleteAdmin deletes a staff account.
func (c *Client) DeleteAdmin(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, adminPath(id, ""), nil, nil)
}

// DisableAdmin disables an account and revokes its tokens.
func (c *Client) DisableAdmin(ctx context.Context, id int64) (api.Admin, error) {
	var out api.Admin
	return out, c.do(ctx, http.MethodPost, adminPath(id, "/disable"), nil, &out)
}

// EnableAdmin enables an account.
func (c *Client) EnableAdmin(ctx context.Context, id int64) (api.Admin, error) {
	var out api.Admin
	return out, c.do(ctx, http.MethodPost, adminPath(id, "/enable"), nil, &out)
}

// ResetAdminTOTP removes another account's authenticator and recovery codes.
func (c *Client) ResetAdminTOTP(ctx context.Context, id int64) (api.Admin, error) {
	var out api.Admin
	return out, c.do(ctx, http.MethodDelete, adminPath(id, "/totp"), nil, &out)
}

// BeginTOTP starts enrolling an authenticator: the secret and otpauth:// URL
// to show once, as text and QR code.
func (c *Client) BeginTOTP(ctx context.Context) (api.TOTPEnrolment, error) {
	var out api.TOTPEnrolment
	return out, c.do(ctx, http.MethodPost, "/api/v1/me/totp", nil, &out)
}

// ConfirmTOTP finishes enrolment with a code from the authenticator and
// returns the recovery codes, shown once.
func (c *Client) ConfirmTOTP(ctx context.Context, code string) ([]string, error) {
	var out api.RecoveryCodes
	return out.Codes, c.do(ctx, http.MethodPost, "/api/v1/me/totp/confirm", api.TOTPConfirm{Code: code}, &out)
}

// RemoveTOTP removes the signed-in account's own authenticator.
func (c *Client) RemoveTOTP(ctx context.Context) (api.Admin, error) {
	var out api.Admin
	return out, c.do(ctx, http.MethodDelete, "/api/v1/me/totp", nil, &out)
}
