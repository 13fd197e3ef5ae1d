package adminapi

import (
	"net/http"

	"canale/server/internal/credential"
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
	if err != nil {
		a.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (a *API) handleResellerGet(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	r, err := a.Resellers.FindResellerByID(c.Request.Context(), id)
	if err != nil {
		a.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

func (a *API) handleResellerCreate(c *gin.Context) {
	var r api.Reseller
	if !a.bindJSON(c, &r) {
		return
	}
	if err := r.Validate(); err != nil {
		a.writeError(c, err)
		return
	}
	hash, err := credential.HashPassword(r.Password)
	if err != nil {
		a.writeError(c, err)
		return
	}
	out, err := a.Resellers.CreateReseller(c.Request.Context(), currentActor(c), r, hash)
	if err != nil {
		a.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

func (a *API) handleResellerUpdate(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	var upd api.ResellerUpdate
	if !a.bindJSON(c, &upd) {
		return
	}
	if err := upd.Validate(); err != nil {
		a.writeError(c, err)
		return
	}
	var hash string
	if upd.Password != nil {
		var err error
		if hash, err = credential.HashPassword(*upd.Password); err != nil {
			a.writeError(c, err)
			return
		}
	}
	out, err := a.Resellers.UpdateReseller(c.Request.Context(), currentActor(c), id, upd, hash)
	if err != nil {
		a.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (a *API) handleResellerDelete(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	if err := a.Resellers.DeleteReseller(c.Request.Context(), currentActor(c), id); err != nil {
		a.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// handleResellerCredits answers POST /resellers/{id}/credits (api.CreditChange)
// with the reseller after the change.
func (a *API) handleResellerCredits(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	var ch api.CreditChange
	if !a.bindJSON(c, &ch) {
		return
	}
	if err := ch.Validate(); err != nil {
		a.writeError(c, err)
		return
	}
	out, err := a.Resellers.ChangeResellerCredits(c.Request.Context(), currentActor(c), id, ch)
	if err != nil {
		a.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// handleResellerCreditLog answers GET /resellers/{id}/credit-log?before_id=&limit=.
func (a *API) handleResellerCreditLog(c *gin.Context) {
	id, ok := a.pathID(c, "id")
	if !ok {
		return
	}
	a.creditLog(c, id)
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
	before, err := queryInt(c, "before_id")
	if err != nil {
		a.writeError(c, err)
		return
	}
	limit, err := queryInt(c, "limit")
	if err != nil {
		a.writeError(c, err)
		return
	}
	out, err := a.Resellers.FindCreditLog(c.Request.Context(), id, before, int(limit))
	if err != nil {
		a.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}
