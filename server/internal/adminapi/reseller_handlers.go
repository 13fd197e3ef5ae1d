package adminapi

import (
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// handleResellerList answers GET /resellers?parent_id=&status=&q=&cursor=&limit=.
func (a *API) handleResellerList(c *gin.Context) {
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	parent, err := queryInt(c, "parent_id")
	if err != nil {
		a.writeError(c, err)
		return
	}
	page, err := a.Resellers.FindResellers(c.Request.Context(), api.ResellerFilter{ParentID: parent, Status: c.Query("status")}, p)
	a.reply(c, http.StatusOK, page, err)
}

func (a *API) handleResellerGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		r, err := a.Resellers.FindResellerByID(c.Request.Context(), id)
		a.reply(c, http.StatusOK, r, err)
	}
}

func (a *API) handleResellerCreate(c *gin.Context) {
	var r api.Reseller
	if !a.bindValid(c, &r) {
		return
	}
	hash, err := a.hashPassword(c.Request.Context(), &r.Password)
	if err == nil {
		r, err = a.Resellers.CreateReseller(c.Request.Context(), currentActor(c), r, hash)
	}
	a.reply(c, http.StatusCreated, r, err)
}

func (a *API) handleResellerUpdate(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	var upd api.ResellerUpdate
	if !ok || !a.bindValid(c, &upd) {
		return
	}
	hash, err := a.hashPassword(c.Request.Context(), upd.Password)
	var out api.Reseller
	if err == nil {
		out, err = a.Resellers.UpdateReseller(c.Request.Context(), currentActor(c), id, upd, hash)
	}
	a.reply(c, http.StatusOK, out, err)
}

func (a *API) handleResellerDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.reply(c, http.StatusNoContent, nil, a.Resellers.DeleteReseller(c.Request.Context(), currentActor(c), id))
	}
}

// handleResellerCredits answers POST /resellers/{id}/credits (api.CreditChange)
// with the reseller after the change.
func (a *API) handleResellerCredits(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	var ch api.CreditChange
	if !ok || !a.bindValid(c, &ch) {
		return
	}
	out, err := a.Resellers.ChangeResellerCredits(c.Request.Context(), currentActor(c), id, ch)
	a.reply(c, http.StatusOK, out, err)
}

// handleResellerCreditLog answers GET /resellers/{id}/credit-log?cursor=&limit=.
func (a *API) handleResellerCreditLog(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.creditLog(c, id)
	}
}

// handleMyCreditLog answers GET /me/credit-log for the signed-in reseller.
func (a *API) handleMyCreditLog(c *gin.Context) {
	r, ok := currentReseller(c)
	if !ok {
		a.writeError(c, api.Errorf(api.CodeNotFound, "only resellers have a credit log; see /resellers/{id}/credit-log"))
		return
	}
	a.creditLog(c, r.ID)
}

func (a *API) creditLog(c *gin.Context, id int64) {
	if p, ok := a.listParams(c); ok {
		page, err := a.Resellers.FindCreditLog(c.Request.Context(), id, p)
		a.reply(c, http.StatusOK, page, err)
	}
}
