package adminapi

import (
	"context"
	"net/http"

	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// PackageStore reads and changes packages.
type PackageStore interface {
	FindPackageByID(ctx context.Context, id int64) (api.Package, error)
	FindPackages(ctx context.Context, f api.PackageFilter, p api.ListParams) (api.Page[api.Package], error)
	CreatePackage(ctx context.Context, actor api.Actor, p api.Package) (api.Package, error)
	UpdatePackage(ctx context.Context, actor api.Actor, id int64, u api.PackageUpdate) (api.Package, error)
	DeletePackage(ctx context.Context, actor api.Actor, id int64) error
}

// handlePackageList answers GET /packages?channel_id=&free=&q=&sort=name|id&cursor=&limit=.
func (a *API) handlePackageList(c *gin.Context) {
	p, ok := a.listParams(c)
	if !ok {
		return
	}
	var f api.PackageFilter
	var err error
	if f.ChannelID, err = queryInt(c, "channel_id"); err == nil {
		f.Free, err = queryBool(c, "free")
	}
	if err != nil {
		a.writeError(c, err)
		return
	}
	page, err := a.Catalog.FindPackages(c, f, p)
	a.reply(c, http.StatusOK, page, err)
}

func (a *API) handlePackageGet(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		v, err := a.Catalog.FindPackageByID(c, id)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handlePackageCreate(c *gin.Context) {
	var in api.Package
	if a.bindJSON(c, &in) {
		v, err := a.Catalog.CreatePackage(c, currentActor(c), in)
		a.reply(c, http.StatusCreated, v, err)
	}
}

func (a *API) handlePackageUpdate(c *gin.Context) {
	var u api.PackageUpdate
	if id, ok := a.pathID(c, "id"); ok && a.bindJSON(c, &u) {
		v, err := a.Catalog.UpdatePackage(c, currentActor(c), id, u)
		a.reply(c, http.StatusOK, v, err)
	}
}

func (a *API) handlePackageDelete(c *gin.Context) {
	if id, ok := a.pathID(c, "id"); ok {
		a.reply(c, http.StatusNoContent, nil, a.Catalog.DeletePackage(c, currentActor(c), id))
	}
}
