package api

import "strings"

// MinStaffPasswordLen is the shortest password a staff account may have.
const MinStaffPasswordLen = 10

// AdminCreate is the body of POST /api/v1/admins: a new staff account.
type AdminCreate struct {
	Login        string `json:"login"`
	Password     string `json:"password"`
	Role         Role   `json:"role"`
	TOTPRequired bool   `json:"totp_required"`
}

// Validate checks the login, role and password; messages name the field.
func (a AdminCreate) Validate() error {
	f := FieldErrors{}
	validateLogin(f, "login", a.Login)
	if !a.Role.Valid() {
		f.Add("role", "must be admin or operator")
	}
	checkStaffPassword(f, "password", a.Password)
	return f.Err()
}

func checkStaffPassword(f FieldErrors, field, p string) {
	if len(p) < MinStaffPasswordLen {
		f.Add(field, "at least 10 characters")
	}
}

// AdminUpdate is the body of PATCH /api/v1/admins/{id}: nil fields stay.
type AdminUpdate struct {
	Role         *Role `json:"role,omitempty"`
	TOTPRequired *bool `json:"totp_required,omitempty"`
}

// Validate checks the role when it is set.
func (u AdminUpdate) Validate() error {
	f := FieldErrors{}
	if u.Role != nil && !u.Role.Valid() {
		f.Add("role", "must be admin or operator")
	}
	return f.Err()
}

// TOTPEnrolment is the answer of POST /api/v1/me/totp: the secret to put in
// an authenticator, shown this once, and the otpauth:// URL a QR code carries.
type TOTPEnrolment struct {
	Secret string `json:"secret"`
	URL    string `json:"otpauth_url"`
}

// TOTPConfirm is the body of POST /api/v1/me/totp/confirm: a code from the
// authenticator, proving it holds the secret.
type TOTPConfirm struct {
	Code string `json:"code"`
}

// Validate checks a code is given.
func (c TOTPConfirm) Validate() error {
	f := FieldErrors{}
	if strings.TrimSpace(c.Code) == "" {
		f.Add("code", "required")
	}
	return f.Err()
}

// RecoveryCodes is the answer of POST /api/v1/me/totp/confirm: codes that each
// sign in once without the authenticator. They are shown this once; the
// server keeps only their hashes.
type RecoveryCodes struct {
	Codes []string `json:"recovery_codes"`
}

// FieldTOTPCode is the field a sign-in error names when the account needs a
// second factor, so a client knows to ask for the code.
const FieldTOTPCode = "totp_code"
