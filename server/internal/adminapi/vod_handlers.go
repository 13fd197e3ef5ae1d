package adminapi

import (
	"context"
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// VODStore reads and changes VOD items.
type VODStore interface {
	FindVODByID(ctx context.Context, id int64) (api.VOD, error)
	FindVODs(ctx context.Context, f api.VODFilter, p api.ListParams) (api.Page[api.VOD], error)
	CreateVOD(ctx context.Context, actor api.Actor, in api.VODCreate) (api.VOD, error)
	UpdateVOD(ctx context.Context, actor api.Actor, id int64, u api.VODUpdate) (api.VOD, error)
	DeleteVOD(ctx context.Context, actor api.Actor, id int64) error
}

// handleVODList answers GET /vod?category_id=&enabled=&q=&sort=title|year|id&cursor=&limit=.
func (a *API) handleVODList(c *gin.Context) {
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	var f api.VODFilter
	var err error
	if f.CategoryID, err = queryInt(c, "category_id"); err == nil {
		f.Enabled, err = queryBool(c, "enabled")
	}
	if err != nil {
		a.writeError(c, err)
		return
	}
	page, err := a.Catalog.FindVODs(c, f, p)
	a.reply(c, http.StatusOK, page, err)
}

func (a *API) handleVODGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		v, err := a.Catalog.FindVODByID(c, id)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handleVODCreate(c *gin.Context) {
	var in api.VODCreate
	if a.bindJSON(c, &in) {
		v, err := a.Catalog.CreateVOD(c, currentActor(c), in)
		a.reply(c, http.StatusCreated, v, err)
	}
}

func (a *API) handleVODUpdate(c *gin.Context) {
	var u api.VODUpdate
	if id, ok := a.pathID(c, "id"); ok && a.bindJSON(c, &u) {
		v, err := a.Catalog.UpdateVOD(c, currentActor(c), id, u)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handleVODDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.reply(c, http.StatusNoContent, nil, a.Catalog.DeleteVOD(c, currentActor(c), id))
	}
}
