package adminapi

import (
	"context"
	"net/http"

	"canale/server/internal/store"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// StaffStore manages staff accounts (admins and operators) and their second
// factor. Every write takes the actor, whose login the audit log keeps.
type StaffStore interface {
	FindAdmins(ctx context.Context) ([]api.Admin, error)
	FindAdminByID(ctx context.Context, id int64) (api.Admin, error)
	CreateAdmin(ctx context.Context, actor api.Actor, in api.AdminCreate, passwordHash string) (api.Admin, error)
	UpdateAdmin(ctx context.Context, actor api.Actor, id int64, u api.AdminUpdate) (api.Admin, error)
	SetAdminDisabled(ctx context.Context, actor api.Actor, id int64, disabled bool) (api.Admin, error)
	DeleteAdmin(ctx context.Context, actor api.Actor, id int64) error
	FindAdminTOTP(ctx context.Context, id int64) (store.AdminTOTP, error)
	BeginAdminTOTP(ctx context.Context, actor api.Actor, id int64, secret string) error
	ConfirmAdminTOTP(ctx context.Context, actor api.Actor, id int64, secret string, step int64, codeHashes [][]byte) (api.Admin, error)
	ResetAdminTOTP(ctx context.Context, actor api.Actor, id int64) (api.Admin, error)
	UseAdminTOTPStep(ctx context.Context, id, step int64) (bool, error)
	UseAdminRecoveryCode(ctx context.Context, id int64, codeHash []byte) (bool, error)
}

func (a *API) handleAdminList(c *gin.Context) {
	list, err := a.Staff.FindAdmins(c.Request.Context())
	a.reply(c, http.StatusOK, api.Page[api.Admin]{Items: list}, err)
}

func (a *API) handleAdminGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		out, err := a.Staff.FindAdminByID(c.Request.Context(), id)
		a.reply(c, http.StatusOK, out, err)
	}
}

func (a *API) handleAdminCreate(c *gin.Context) {
	var in api.AdminCreate
	if !a.bindValid(c, &in) { // before hashing: a bad request costs no argon2 run
		return
	}
	hash, err := a.hashPassword(c.Request.Context(), &in.Password)
	if err != nil {
		a.writeError(c, err)
		return
	}
	out, err := a.Staff.CreateAdmin(c.Request.Context(), currentActor(c), in, hash)
	a.reply(c, http.StatusCreated, out, err)
}

func (a *API) handleAdminUpdate(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	var u api.AdminUpdate
	if ok && a.bindJSON(c, &u) {
		out, err := a.Staff.UpdateAdmin(c.Request.Context(), currentActor(c), id, u)
		a.reply(c, http.StatusOK, out, err)
	}
}

func (a *API) handleAdminDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.reply(c, http.StatusNoContent, nil, a.Staff.DeleteAdmin(c.Request.Context(), currentActor(c), id))
	}
}

func (a *API) handleAdminDisable(c *gin.Context) { a.setAdminDisabled(c, true) }
func (a *API) handleAdminEnable(c *gin.Context)  { a.setAdminDisabled(c, false) }

func (a *API) setAdminDisabled(c *gin.Context, disabled bool) {
	if id, ok := a.pathID(c, "id"); ok {
		out, err := a.Staff.SetAdminDisabled(c.Request.Context(), currentActor(c), id, disabled)
		a.reply(c, http.StatusOK, out, err)
	}
}

// handleAdminTOTPReset removes another account's authenticator (a lost
// phone); the account enrols again at its next sign-in if TOTP is required.
func (a *API) handleAdminTOTPReset(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		out, err := a.Staff.ResetAdminTOTP(c.Request.Context(), currentActor(c), id)
		a.reply(c, http.StatusOK, out, err)
	}
}
