package adminapi

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"net/http"
	"strings"
	"time"

	"canale/server/internal/credential"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpIssuer names Canale in authenticator apps.
const totpIssuer = "Canale"

// recoveryCodeCount is how many one-use recovery codes an enrolment gives.
const recoveryCodeCount = 10

// totpOpts are RFC 6238's defaults, which every authenticator app supports.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// totpStep returns the time step whose code is code, looking one step either
// side of now for clocks that drift, or false when none matches.
func totpStep(secret, code string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(code)
	for _, skew := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(skew) * 30 * time.Second)
		if ok, err := totp.ValidateCustom(code, secret, t, totpOpts); err == nil && ok {
			return t.Unix() / 30, true
		}
	}
	return 0, false
}

// errSecondFactor answers a sign-in whose second factor is wrong, spent or
// replayed; it counts as a failed sign-in.
var errSecondFactor = &api.Error{Code: api.CodeUnauthorized, Message: "wrong or already used code",
	Fields: map[string]string{api.FieldTOTPCode: "wrong or already used"}}

// checkSecondFactor passes an account without TOTP and otherwise demands a
// fresh code or an unused recovery code. A missing code is answered with the
// field named, so the client asks for it; it is not a failure.
func (a *API) checkSecondFactor(ctx context.Context, admin api.Admin, req api.LoginRequest) error {
	if !admin.TOTPEnabled {
		return nil
	}
	if rc := normalizeRecoveryCode(req.RecoveryCode); rc != "" {
		if ok, err := a.Staff.UseAdminRecoveryCode(ctx, admin.ID, credential.HashToken(rc)); err != nil || !ok {
			return orSecondFactor(err)
		}
		return nil
	}
	if strings.TrimSpace(req.TOTPCode) == "" {
		return &api.Error{Code: api.CodeUnauthorized, Message: "enter the code of your authenticator app",
			Fields: map[string]string{api.FieldTOTPCode: "required"}}
	}
	t, err := a.Staff.FindAdminTOTP(ctx, admin.ID)
	if err != nil {
		return err
	}
	step, ok := totpStep(t.Secret, req.TOTPCode, time.Now())
	if !ok {
		return errSecondFactor
	}
	if ok, err := a.Staff.UseAdminTOTPStep(ctx, admin.ID, step); err != nil || !ok {
		return orSecondFactor(err)
	}
	return nil
}

func orSecondFactor(err error) error {
	if err != nil {
		return err
	}
	return errSecondFactor
}

// enrolmentPaths are what a token of an account that must enrol a second
// factor, and has not, may reach.
var enrolmentPaths = map[string]bool{
	"/api/v1/me": true, "/api/v1/auth/logout": true, "/api/v1/me/password": true,
	"/api/v1/me/totp": true, "/api/v1/me/totp/confirm": true,
}

// needsEnrolment reports whether admin must enrol TOTP before reaching path.
func needsEnrolment(admin api.Admin, path string) bool {
	return admin.TOTPRequired && !admin.TOTPEnabled && !enrolmentPaths[path]
}

// handleMyTOTPBegin offers the signed-in account a new TOTP secret. It is
// shown this once; it counts only after handleMyTOTPConfirm.
func (a *API) handleMyTOTPBegin(c *gin.Context) {
	me := currentAdmin(c)
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: me.Login,
		Period: totpOpts.Period, Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
	if err != nil {
		a.writeError(c, err)
		return
	}
	if err := a.Staff.BeginAdminTOTP(c.Request.Context(), currentActor(c), me.ID, key.Secret()); err != nil {
		a.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	a.render(c, http.StatusOK, api.TOTPEnrolment{Secret: key.Secret(), URL: key.URL()})
}

// handleMyTOTPConfirm enrols the offered secret once a code from it checks,
// and answers the recovery codes, shown this once.
func (a *API) handleMyTOTPConfirm(c *gin.Context) {
	var in api.TOTPConfirm
	if !a.bindValid(c, &in) {
		return
	}
	me := currentAdmin(c)
	t, err := a.Staff.FindAdminTOTP(c.Request.Context(), me.ID)
	if err != nil {
		a.writeError(c, err)
		return
	}
	if t.Pending == "" {
		a.writeError(c, api.Errorf(api.CodeConflict, "start the enrolment first (POST /me/totp)"))
		return
	}
	step, ok := totpStep(t.Pending, in.Code, time.Now())
	if !ok {
		a.writeError(c, &api.Error{Code: api.CodeInvalid, Message: "the code does not match",
			Fields: map[string]string{"code": "does not match; check the phone's clock"}})
		return
	}
	codes, hashes := newRecoveryCodes()
	if _, err := a.Staff.ConfirmAdminTOTP(c.Request.Context(), currentActor(c), me.ID, t.Pending, step, hashes); err != nil {
		a.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	a.render(c, http.StatusOK, api.RecoveryCodes{Codes: codes})
}

// handleMyTOTPDelete removes the signed-in account's own authenticator,
// unless an admin requires one.
func (a *API) handleMyTOTPDelete(c *gin.Context) {
	me := currentAdmin(c)
	if me.TOTPRequired {
		a.writeError(c, &api.Error{Code: api.CodeForbidden, Message: "an admin requires two-factor sign-in for this account",
			Fields: map[string]string{"totp_required": "set by an admin"}})
		return
	}
	out, err := a.Staff.ResetAdminTOTP(c.Request.Context(), currentActor(c), me.ID)
	a.reply(c, http.StatusOK, out, err)
}

// newRecoveryCodes returns fresh recovery codes (80 random bits each, grouped
// for reading aloud) and the hashes the store keeps.
func newRecoveryCodes() ([]string, [][]byte) {
	codes, hashes := make([]string, recoveryCodeCount), make([][]byte, recoveryCodeCount)
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	for i := range codes {
		var b [10]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
		s := strings.ToLower(enc.EncodeToString(b[:]))
		codes[i] = s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
		hashes[i] = credential.HashToken(normalizeRecoveryCode(codes[i]))
	}
	return codes, hashes
}

// normalizeRecoveryCode drops the dashes and spaces people type or leave out.
func normalizeRecoveryCode(s string) string {
	return strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s)))
}
